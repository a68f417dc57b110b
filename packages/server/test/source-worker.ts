import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Runs a TypeScript worker (a server for a crash or scale-out test, a
 * benchmark's server) in its own Node process on the packages' sources,
 * through tsx: `env` is added to this process's environment, stdout is piped
 * (the worker announces itself on it) and stderr inherited.
 */
export function spawnSourceWorker(file: URL, env: Record<string, string>): ChildProcess {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return spawn(
    process.execPath,
    ['--conditions=@onair/source', '--import', tsx, fileURLToPath(file)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
}

import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** docs/benchmarks.md, which several benchmarks write a section of. */
export const BENCHMARKS_DOC = fileURLToPath(
  new URL('../../../docs/benchmarks.md', import.meta.url),
);

/**
 * Replaces one benchmark's section of a generated document (between
 * `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`), appending it the first
 * time, so each benchmark rewrites only its own figures. Formats the file
 * with Biome, which checks Markdown in this repository.
 */
export async function writeDocSection(file: string, name: string, markdown: string): Promise<void> {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const current = await readFile(file, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${start}\n\n${markdown.trim()}\n\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
  spawnSync('pnpm', ['exec', 'biome', 'format', '--write', file], { stdio: 'ignore' });
}

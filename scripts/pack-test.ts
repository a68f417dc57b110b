/**
 * The packages as published (`pnpm test:pack`, after `pnpm build`): packs each
 * package with `pnpm pack`, checks what each tarball holds, then installs the
 * tarballs into a fresh project outside the workspace, once with npm and once
 * with pnpm (`hoist=false`, so a dependency a package uses but does not declare
 * fails), type-checks a strict TypeScript consumer of every public entry
 * (scripts/pack-consumer) and builds it with Vite.
 *
 * Registry packages come through the machine's npm cache and pnpm store.
 * `--keep` leaves the temporary folder for inspection.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['protocol', 'core', 'elements', 'react', 'server'] as const;
/** Packages a bundler puts in a browser page (the server is Node only). */
const BROWSER_PACKAGES = ['protocol', 'core', 'elements', 'react'] as const;
const keep = process.argv.includes('--keep');

interface Manifest {
  name: string;
  version: string;
  license?: string;
  repository?: { url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  exports?: Record<string, unknown>;
  main?: string;
  types?: string;
  /** The custom elements manifest (`@onair/elements`). */
  customElements?: string;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Packed {
  dir: (typeof PACKAGES)[number];
  tarball: string;
  manifest: Manifest;
  files: string[];
}

const problems: string[] = [];
const fail = (message: string) => problems.push(message);

/** The environment of the installs: a production NODE_ENV would leave devDependencies out. */
const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
delete env.NODE_ENV;

function run(command: string, args: string[], cwd: string, log = true): string {
  const started = Date.now();
  try {
    const out = execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env });
    if (log) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.info(`  ${command} ${args.join(' ')} (${seconds} s)`);
    }
    return out;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`,
      { cause: error },
    );
  }
}

/** Every file path a manifest points at through `exports`, `main`, `types`, `customElements` and `bin`. */
function manifestTargets(manifest: Manifest): string[] {
  const targets: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  for (const field of [manifest.main, manifest.types, manifest.customElements]) {
    if (field) targets.push(field);
  }
  return targets.map((target) => target.replace(/^\.\//, ''));
}

/** The package a bare import specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

const BUILTINS = new Set(builtinModules);
/**
 * A module specifier where code imports one: `from "x"` or `import "x"` ending a
 * statement, or `import("x")`. Words in strings (`['from', 'to']`, SQL's
 * `from "view_sessions" where …`) are not imports: nothing follows them that
 * ends a statement.
 */
const IMPORT =
  /(?:\bfrom\s*|\bimport\s+)(['"])([^'"./][^'"]*)\1(?=\s*(?:;|$))|\bimport\s*\(\s*(['"])([^'"./][^'"]*)\3\s*\)/gm;

/** Bare imports in the tarball's JavaScript and declarations that no dependency declares. */
async function undeclaredImports(unpacked: string, packed: Packed): Promise<string[]> {
  const declared = new Set([
    packed.manifest.name,
    ...Object.keys(packed.manifest.dependencies ?? {}),
    ...Object.keys(packed.manifest.peerDependencies ?? {}),
  ]);
  const missing = new Set<string>();
  // The CDN build is self-contained: checked by its own test.
  const code = packed.files.filter(
    (file) => /\.(js|d\.ts)$/.test(file) && !file.startsWith('dist/cdn/'),
  );
  for (const file of code) {
    const text = await readFile(join(unpacked, file), 'utf8');
    for (const [, , staticSpecifier, , dynamicSpecifier] of text.matchAll(IMPORT)) {
      const specifier = staticSpecifier ?? dynamicSpecifier;
      if (!specifier || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      const name = packageOf(specifier);
      if (!declared.has(name)) missing.add(`${name} (${file})`);
    }
  }
  return [...missing];
}

async function checkTarball(packed: Packed, work: string, license: string): Promise<void> {
  const { manifest, files, dir } = packed;
  const where = `${manifest.name}:`;
  for (const file of ['README.md', 'LICENSE', 'package.json']) {
    if (!files.includes(file)) fail(`${where} ${file} is not in the tarball`);
  }
  for (const target of manifestTargets(manifest)) {
    if (target !== 'package.json' && !files.includes(target)) {
      fail(`${where} package.json points at ${target}, which the tarball lacks`);
    }
  }
  const tests = files.filter((file) =>
    /(\.test\.|\.browser\.test\.|test-support|test-fixtures|(^|\/)__tests__\/)/.test(file),
  );
  if (tests.length > 0) fail(`${where} test files in the tarball: ${tests.join(', ')}`);
  const sources = files.filter((file) => file.startsWith('src/'));
  if (sources.length > 0) fail(`${where} src/ is in the tarball (${sources.length} files)`);
  const text = JSON.stringify(manifest);
  if (text.includes('@onair/source')) fail(`${where} the @onair/source condition was published`);
  if (text.includes('workspace:')) fail(`${where} a workspace: range was published`);
  if (manifest.scripts) fail(`${where} scripts were published: ${Object.keys(manifest.scripts)}`);
  if (manifest.license !== 'MIT') fail(`${where} license is ${manifest.license}, not MIT`);
  if (manifest.repository?.directory !== `packages/${dir}` || !manifest.repository.url) {
    fail(`${where} repository is not the monorepo with directory packages/${dir}`);
  }
  if (!manifest.homepage) fail(`${where} no homepage`);
  if (!manifest.bugs?.url) fail(`${where} no bugs URL`);
  const unpacked = join(work, 'unpacked', dir);
  await mkdir(unpacked, { recursive: true });
  run('tar', ['-xzf', packed.tarball, '-C', unpacked, '--strip-components=1'], work, false);
  if ((await readFile(join(unpacked, 'LICENSE'), 'utf8')) !== license) {
    fail(`${where} LICENSE differs from the repository's`);
  }
  const readme = await readFile(join(unpacked, 'README.md'), 'utf8');
  if (!readme.includes('npm install') || !readme.includes('```ts')) {
    fail(`${where} README has no install line or no example`);
  }
  for (const missing of await undeclaredImports(unpacked, packed)) {
    fail(`${where} imports ${missing} without declaring it a dependency`);
  }
}

async function pack(dir: Packed['dir'], out: string): Promise<Packed> {
  const before = new Set(await readdir(out));
  run('pnpm', ['pack', '--pack-destination', out], join(ROOT, 'packages', dir));
  const tarball = (await readdir(out)).find((name) => !before.has(name) && name.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball for packages/${dir}`);
  const path = join(out, tarball);
  const files = run('tar', ['-tzf', path], out, false)
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''));
  const manifest = JSON.parse(
    run('tar', ['-xzOf', path, 'package/package.json'], out, false),
  ) as Manifest;
  return { dir, tarball: path, manifest, files };
}

/** `export * as` of every subpath the browser packages export, so the consumer sees them all. */
function entriesModule(packed: Packed[]): string {
  const lines = ['// Generated by scripts/pack-test.ts: every public browser entry.'];
  const names: string[] = [];
  for (const { dir, manifest } of packed) {
    if (!(BROWSER_PACKAGES as readonly string[]).includes(dir)) continue;
    for (const subpath of Object.keys(manifest.exports ?? {})) {
      // Data, not modules: package.json and the custom elements manifest.
      if (subpath.endsWith('.json') || subpath.includes('*')) continue;
      const specifier = `${manifest.name}${subpath.slice(1)}`;
      const name = `entry${names.length}`;
      names.push(name);
      lines.push(`import * as ${name} from '${specifier}';`);
    }
  }
  lines.push(`export const entries = { ${names.join(', ')} };`, '');
  return lines.join('\n');
}

async function consumer(
  work: string,
  name: 'npm' | 'pnpm',
  packed: Packed[],
  versions: Record<string, string>,
): Promise<void> {
  console.info(`consumer installed with ${name}`);
  const dir = join(work, `consumer-${name}`);
  await cp(join(ROOT, 'scripts', 'pack-consumer'), dir, { recursive: true });
  await writeFile(join(dir, 'src', 'entries.ts'), entriesModule(packed));
  const local = Object.fromEntries(packed.map((p) => [p.manifest.name, `file:${p.tarball}`]));
  const manifest: Record<string, unknown> = {
    name: 'onair-pack-consumer',
    private: true,
    type: 'module',
    dependencies: {
      ...local,
      react: versions.react,
      'react-dom': versions['react-dom'],
    },
    devDependencies: {
      '@types/node': versions['@types/node'],
      '@types/react': versions['@types/react'],
      '@types/react-dom': versions['@types/react-dom'],
      typescript: versions.typescript,
      vite: versions.vite,
    },
    // The packages depend on each other by version: these tarballs, never the registry.
    overrides: local,
  };
  if (name === 'pnpm') {
    // pnpm reads overrides from the workspace file; `hoist=false`: a package sees only what it declares.
    delete manifest.overrides;
    await writeFile(
      join(dir, 'pnpm-workspace.yaml'),
      `overrides:\n${Object.entries(local)
        .map(([pkg, spec]) => `  '${pkg}': '${spec}'`)
        .join('\n')}\n`,
    );
    await writeFile(join(dir, '.npmrc'), 'hoist=false\n');
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (name === 'npm') {
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], dir);
  } else {
    run('pnpm', ['install', '--prefer-offline', '--reporter=append-only'], dir);
  }
  run('node', [join(dir, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], dir);
  run('node', [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], dir);
  const assets = await readdir(join(dir, 'dist', 'assets'));
  if (!assets.some((file) => file.endsWith('.js'))) fail(`${name}: Vite built no JavaScript`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), 'onair-pack-'));
  try {
    const out = join(work, 'tarballs');
    await mkdir(out);
    const license = await readFile(join(ROOT, 'LICENSE'), 'utf8');
    console.info(`packing into ${out}`);
    const packed: Packed[] = [];
    for (const dir of PACKAGES) packed.push(await pack(dir, out));
    for (const p of packed) await checkTarball(p, work, license);
    if (problems.length > 0) throw new Error(`tarballs:\n- ${problems.join('\n- ')}`);

    const root = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const reactPackage = JSON.parse(
      await readFile(join(ROOT, 'packages/react/package.json'), 'utf8'),
    ) as { devDependencies: Record<string, string> };
    const versions = { ...reactPackage.devDependencies, ...root.devDependencies };
    for (const name of ['npm', 'pnpm'] as const) await consumer(work, name, packed, versions);
    if (problems.length > 0) throw new Error(`consumers:\n- ${problems.join('\n- ')}`);
    console.info(
      `packages as published: ${packed.length} tarballs checked, npm and pnpm consumers type-check and build (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  } finally {
    if (keep) console.info(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

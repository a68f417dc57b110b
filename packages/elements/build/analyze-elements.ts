/// <reference types="node" />
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package's folder: the analyzer reads its config and sources from there. */
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** What the analyzer's programmatic entry takes (its `cli.js`, typed here: it ships no types). */
type AnalyzerCli = (options: { argv: string[]; cwd: string; noWrite: boolean }) => Promise<unknown>;

/**
 * The custom elements manifest of the sources as they are now, made in
 * memory by @custom-elements-manifest/analyzer with the package's config
 * (custom-elements-manifest.config.mjs), nothing written: what `pnpm build`
 * writes to dist/custom-elements.json. Storybook and the tests read it.
 */
export async function analyzeElements(): Promise<unknown> {
  const require = createRequire(join(PACKAGE, 'package.json'));
  const entry = require.resolve('@custom-elements-manifest/analyzer/cli.js');
  const { cli } = (await import(pathToFileURL(entry).href)) as { cli: AnalyzerCli };
  return cli({ argv: ['analyze', '--quiet'], cwd: PACKAGE, noWrite: true });
}

'use strict';

/**
 * pnpm hooks for the whole workspace. `beforePacking` shapes the package.json
 * that goes into every tarball (`pnpm pack`, `pnpm publish`), from the manifest
 * the repository uses:
 *
 * - The `@onair/source` export condition points the workspace at `src/*.ts`
 *   (tests, tsx, Storybook); `src/` is not published, so the condition is
 *   dropped from `exports` wherever it appears, whatever subpaths `exports` lists.
 * - Scripts are the repository's (build, typecheck, benchmarks): none runs in a
 *   consumer's install, so none is published.
 *
 * pnpm records a checksum of this file in pnpm-lock.yaml (`pnpmfileChecksum`):
 * after editing it, run `pnpm install` to update the lockfile.
 */
const SOURCE_CONDITION = '@onair/source';

/** `exports` without the source condition, at any depth. */
function publishedExports(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === SOURCE_CONDITION) continue;
    out[key] = publishedExports(entry);
  }
  return out;
}

function beforePacking(pkg) {
  if (typeof pkg.name !== 'string' || !pkg.name.startsWith('@onair/')) return pkg;
  const published = { ...pkg };
  if (published.exports !== undefined) published.exports = publishedExports(published.exports);
  delete published.scripts;
  return published;
}

module.exports = { hooks: { beforePacking } };

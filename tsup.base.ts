import type { Options } from 'tsup';

/** Build settings every package shares: ESM, declarations, source maps. */
export const tsupBase = {
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
} satisfies Options;

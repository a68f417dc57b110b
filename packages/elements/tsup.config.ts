import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/components.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: [/^@onair\//, 'lit', /^lit\//],
});

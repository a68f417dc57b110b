import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

// One output file per module, not one bundle: the package has no side effects, so a
// client's bundler leaves out the modules it never imports (the server's inputs.ts).
export default defineConfig({
  ...tsupBase,
  entry: ['src/**/*.ts', '!src/**/*.test.ts'],
  bundle: false,
});

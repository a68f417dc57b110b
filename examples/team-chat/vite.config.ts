import { defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['@onair/source', 'module', 'browser', 'development|production'] },
  // React's automatic JSX runtime (Vite's own transform: no plugin needed).
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1600 },
});

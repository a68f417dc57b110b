import { defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['@onair/source', 'module', 'browser', 'development|production'] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
});

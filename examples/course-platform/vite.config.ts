import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(`./${name}.html`, import.meta.url));

export default defineConfig({
  resolve: { conditions: ['@onair/source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    // Two pages: sign-in and lesson list, and one lesson (teacher or student).
    rollupOptions: { input: { index: page('index'), lesson: page('lesson') } },
  },
});

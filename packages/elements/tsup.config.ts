import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';
import { minifyTemplatesPlugin } from './build/minify-templates.js';

/** The browser build's mediasoup-client: named exports over the CommonJS library. */
const MEDIASOUP_CLIENT = decodeURIComponent(
  new URL('src/cdn-mediasoup-client.ts', import.meta.url).pathname,
);

/** Elements with an entry of their own (`@onair/elements/<name>`), each registering only itself. */
const ELEMENTS = [
  'broadcaster',
  'chat',
  'chat-replay',
  'clip-button',
  'follow-button',
  'notifications',
  'player',
  'poll',
  'qna',
  'qna-highlight',
  'reactions',
  'remind-button',
  'scheduler',
  'stage',
  'stage-join',
  'stage-manager',
  'stats',
  'stream-card',
  'stream-list',
  'stream-settings',
  'viewer-count',
];

export default defineConfig([
  {
    ...tsupBase,
    // An entry per element also splits each element into a chunk of its own, so a bundler drops
    // the chunks of the elements an app does not import (even through `./components`).
    entry: {
      index: 'src/index.ts',
      components: 'src/components.ts',
      ...Object.fromEntries(ELEMENTS.map((name) => [name, `src/${name}/onair-${name}.ts`])),
      // Outside the main entry and the CDN build: the dashboards, their strings and (lazily) uPlot.
      analytics: 'src/analytics/onair-analytics.ts',
      // Languages other than English, each registered by importing its entry.
      'translations/es': 'src/translations/es.ts',
    },
    external: [/^@onair\//, 'lit', /^lit\//],
    // Template text keeps no indentation: bundlers minify code, not the markup in templates.
    esbuildPlugins: [minifyTemplatesPlugin],
    // dist/cdn is the other build's, running at the same time.
    clean: ['!cdn/**'],
  },
  {
    // The browser build for pages without a bundler: every dependency inlined,
    // hls.js and mediasoup-client split into chunks that load on first use.
    entry: { onair: 'src/cdn.ts' },
    outDir: 'dist/cdn',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    // Terser after esbuild's bundling, two compress passes: the files served are about 8 kB
    // (brotli) smaller than with esbuild's minifier, hls.js most of it. size-limit minifies
    // again with esbuild before it measures, which undoes most of that: it counts 1 kB.
    minify: 'terser',
    terserOptions: { module: true, ecma: 2020, compress: { passes: 2 } },
    // Source maps would add 5 MB to the package (hls.js's alone is 2.6 MB).
    sourcemap: false,
    clean: true,
    noExternal: [/.*/],
    env: { NODE_ENV: 'production' },
    esbuildOptions(options) {
      options.chunkNames = 'chunks/[name]-[hash]';
    },
    esbuildPlugins: [
      minifyTemplatesPlugin,
      {
        name: 'onair-mediasoup-client-esm',
        setup(build) {
          // Every import of mediasoup-client but the shim's own goes to the shim.
          build.onResolve({ filter: /^mediasoup-client$/ }, (args) =>
            args.importer === MEDIASOUP_CLIENT ? undefined : { path: MEDIASOUP_CLIENT },
          );
        },
      },
    ],
  },
]);

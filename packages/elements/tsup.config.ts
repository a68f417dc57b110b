import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';
import { tsupBase } from '../../tsup.base.js';
import { minifyTemplatesPlugin } from './build/minify-templates.js';

/** The browser build's mediasoup-client: named exports over the CommonJS library. */
const MEDIASOUP_CLIENT = decodeURIComponent(
  new URL('src/cdn-mediasoup-client.ts', import.meta.url).pathname,
);

/** mediasoup-client's `lib` folder, its index's. */
const MEDIASOUP_LIB = dirname(createRequire(import.meta.url).resolve('mediasoup-client'));

/**
 * mediasoup-client's modules that the browser build loads: `Device` and what
 * it requires, not the library's index, which also requires its test parts
 * (`FakeHandler`, the fake parameters, fake-mediastreamtrack) and, being
 * CommonJS, would keep them all. The index's one other importer, the remote
 * SDP, takes only the library's `version` (its SDP's origin) from it: it gets
 * a module of that alone.
 */
const mediasoupClientPlugin: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'onair-mediasoup-client-esm',
  setup(build) {
    const index = join(MEDIASOUP_LIB, 'index.js');
    const remoteSdp = join(MEDIASOUP_LIB, 'handlers/sdp/RemoteSdp.js');
    // Every import of mediasoup-client but the shim's own goes to the shim;
    // the shim's goes to the Device module.
    build.onResolve({ filter: /^mediasoup-client$/ }, (args) => ({
      path:
        args.importer === MEDIASOUP_CLIENT ? join(MEDIASOUP_LIB, 'Device.js') : MEDIASOUP_CLIENT,
    }));
    // The remote SDP's `require("../../")`: a module of the index's `version` alone.
    build.onResolve({ filter: /^\.\.\/\.\.\/$/ }, (args) =>
      args.importer === remoteSdp ? { path: 'version', namespace: 'mediasoup-client' } : undefined,
    );
    build.onLoad({ filter: /^version$/, namespace: 'mediasoup-client' }, async () => {
      // A newer library taking more from its index fails the build rather than reading undefined.
      const uses = new Set((await readFile(remoteSdp, 'utf8')).match(/\b__1\.\w+/g));
      if (uses.size !== 1 || !uses.has('__1.version')) {
        throw new Error(
          `mediasoup-client's RemoteSdp takes ${[...uses].join(', ')} from its index`,
        );
      }
      const version = /exports\.version = '([^']+)'/.exec(await readFile(index, 'utf8'))?.[1];
      if (!version) throw new Error("mediasoup-client's index has no version");
      return { contents: `exports.version = ${JSON.stringify(version)};`, loader: 'js' };
    });
  },
};

/** Elements with an entry of their own (`@onair/elements/<name>`), each registering only itself. */
const ELEMENTS = [
  'broadcaster',
  'chat',
  'chat-replay',
  'clip-button',
  'follow-button',
  'followers',
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
    // The browser build for pages without a bundler: every dependency inlined
    // (in chunks beside onair.js), hls.js and mediasoup-client split into chunks
    // that load on first use.
    // The elements outside the main entry are modules of their own next to it
    // (`dist/cdn/followers.js`), which a page imports after `onair.js`: they share
    // its chunks (one lit, one core), and a page without them loads none of them.
    entry: {
      onair: 'src/cdn.ts',
      'chat-replay': 'src/chat-replay/onair-chat-replay.ts',
      'clip-button': 'src/clip-button/onair-clip-button.ts',
      'remind-button': 'src/remind-button/onair-remind-button.ts',
      followers: 'src/followers/onair-followers.ts',
    },
    outDir: 'dist/cdn',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    // Terser after esbuild's bundling, three compress passes: the files served are about 8 kB
    // (brotli) smaller than with esbuild's minifier, hls.js most of it. size-limit minifies
    // again with esbuild before it measures, which undoes most of that: it counts 1 kB.
    minify: 'terser',
    terserOptions: { module: true, ecma: 2020, compress: { passes: 3 } },
    // Source maps would add 5 MB to the package (hls.js's alone is 2.6 MB).
    sourcemap: false,
    clean: true,
    noExternal: [/.*/],
    env: { NODE_ENV: 'production' },
    esbuildOptions(options) {
      options.chunkNames = 'chunks/[name]-[hash]';
    },
    esbuildPlugins: [minifyTemplatesPlugin, mediasoupClientPlugin],
  },
]);

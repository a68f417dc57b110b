// The import rules of docs/architecture.md, checked by `pnpm check:imports` (part of `pnpm test`).
// Paths are relative to the repository root; a rule's comment says why it exists.

const server = 'packages/server/src';
const core = 'packages/core/src';
// Files of a server domain that face the network (realtime handlers, REST routes, chat
// commands, realtime access checks): only they may use transport/.
const domainEdge = '(handlers|routes|commands|access)\\.ts$';

/** A folder's files may import only the listed folders (and themselves). */
const onlyImports = (name, folder, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  // Tests may cross layers to set up what they check (a real server, a scratch database).
  from: { path: `^${folder}/`, pathNot: '\\.test\\.ts$' },
  to: {
    path: `^(${server}|${core})/`,
    pathNot: [`^${folder}/`, ...allowed.map((a) => `^${a}`)],
  },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module may import itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },

    // Packages: protocol <- core <- elements <- react, protocol <- server.
    {
      name: 'protocol-imports-no-package',
      comment: 'The protocol is the bottom layer: schemas and types only.',
      severity: 'error',
      from: { path: '^packages/protocol/src/' },
      to: { path: '^packages/(core|elements|react|server)/' },
    },
    {
      name: 'core-imports-protocol-only',
      comment: 'The headless client depends on the protocol only (tests may start a real server).',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/(elements|react|server)/' },
    },
    {
      name: 'elements-import-core-and-protocol',
      comment: 'Elements sit on core; never on React or the server.',
      severity: 'error',
      from: { path: '^packages/elements/src/' },
      to: { path: '^packages/(react|server)/' },
    },
    {
      name: 'react-never-imports-the-server',
      comment: 'React wraps core and elements.',
      severity: 'error',
      from: { path: '^packages/react/src/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'server-imports-protocol-only',
      comment: 'The reference server shares only the protocol with the client packages.',
      severity: 'error',
      from: { path: '^packages/server/' },
      to: { path: '^packages/(core|elements|react)/' },
    },
    {
      name: 'no-deep-imports-across-packages',
      comment:
        'A package reaches another only through its entry point, never a relative path into its files.',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'examples-use-public-entry-points',
      comment: 'Example apps are host apps: they import the published entry points only.',
      severity: 'error',
      from: { path: '^examples/[^/]+/(src|server\\.ts)' },
      to: { path: '^packages/', dependencyTypes: ['local'] },
    },

    // Server layers: transport -> domains -> platform/storage; media -> platform; app wires.
    {
      name: 'server-nothing-imports-app',
      comment: 'app/ wires everything together; only the entry points (index, cli) start it.',
      severity: 'error',
      from: { path: `^${server}/`, pathNot: [`^${server}/app/`, `^${server}/(index|cli)\\.ts$`] },
      to: { path: `^${server}/app/` },
    },
    onlyImports(
      'server-platform-is-self-contained',
      `${server}/platform`,
      [],
      'platform/ (auth, events, errors, shared state, caches) is what every layer builds on.',
    ),
    onlyImports(
      'server-storage-on-platform-only',
      `${server}/storage`,
      [`${server}/platform/`],
      'storage/ is the database, its schema and migrations.',
    ),
    onlyImports(
      'server-media-on-platform-only',
      `${server}/media`,
      [`${server}/platform/`],
      'The media plane knows no domain, transport or storage: those reach it through callbacks.',
    ),
    onlyImports(
      'server-transport-on-platform-only',
      `${server}/transport`,
      [`${server}/platform/`],
      'transport/ (HTTP plugins, the realtime gateway, rooms, batching) is generic: domains plug in.',
    ),
    onlyImports(
      'server-domains-below-app',
      `${server}/domains`,
      [`${server}/platform/`, `${server}/storage/`, `${server}/media/`, `${server}/transport/`],
      'Domains use platform, storage and media; their network-facing files use transport.',
    ),
    {
      name: 'server-domain-services-not-on-transport',
      comment: `A domain's services and repositories hold its rules and data; only its ${domainEdge} files face the network.`,
      severity: 'error',
      from: { path: `^${server}/domains/`, pathNot: [domainEdge, '\\.test\\.ts$'] },
      to: { path: `^${server}/transport/` },
    },
    {
      name: 'server-ingests-not-on-outputs',
      comment:
        'An ingest makes a stream source (media/source.ts); it never imports an output (HLS, egress, recording).',
      severity: 'error',
      from: { path: `^${server}/media/ingest/` },
      to: { path: `^${server}/media/(hls|egress|recording)/` },
    },

    // Core folders: transport <- stores, publish, play; abr on its own; primitives at the root.
    onlyImports(
      'core-transport-on-primitives-only',
      `${core}/transport`,
      [`${core}/(errors|subscribable)\\.ts$`],
      'transport/ (REST, realtime, signalling, SDP over HTTP) depends on nothing else in core.',
    ),
    onlyImports(
      'core-stores-on-transport',
      `${core}/stores`,
      [`${core}/transport/`, `${core}/(errors|subscribable|stream-status|test-fixtures)\\.ts$`],
      'Stores read and write through transport/.',
    ),
    onlyImports(
      'core-publish-on-transport',
      `${core}/publish`,
      [`${core}/transport/`, `${core}/(errors|subscribable|stream-status|test-fixtures)\\.ts$`],
      'Publishing knows neither playback nor the stores.',
    ),
    onlyImports(
      'core-play-on-transport-and-abr',
      `${core}/play`,
      [
        `${core}/transport/`,
        `${core}/abr/`,
        `${core}/analytics/view-analytics\\.ts$`,
        `${core}/(errors|subscribable|stream-status|test-fixtures)\\.ts$`,
      ],
      'Playback uses transport/ and the ABR rule; a StreamSession reports its view sessions.',
    ),
    onlyImports(
      'core-analytics-on-transport-and-player-state',
      `${core}/analytics`,
      [
        `${core}/transport/`,
        `${core}/play/player-state\\.ts$`,
        `${core}/publish/(publisher-state|stats)\\.ts$`,
        `${core}/stores/room-store\\.ts$`,
        `${core}/(errors|subscribable)\\.ts$`,
      ],
      "analytics/ reads a Player's and a Publisher's states, sends beacons and reports through the client and follows a stream's room for its live report.",
    ),
    onlyImports(
      'core-abr-is-pure',
      `${core}/abr`,
      [],
      'abr/ is numeric estimators and rules plus the hls.js adapter: nothing else from core.',
    ),
    {
      name: 'core-nothing-imports-its-index',
      comment: 'index.ts names the public API; modules import each other directly.',
      severity: 'error',
      from: { path: `^${core}/` },
      to: { path: `^${core}/index\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|storybook-static)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@onair/source', 'import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

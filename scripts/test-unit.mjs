#!/usr/bin/env node
// `pnpm test:unit`: two lanes side by side. The media lane (the node
// project's ffmpeg, SFU and end-to-end Chromium files) keeps one core busy;
// the other lane runs the rest of the node project (protocol, core, the
// server's REST, realtime, domains and storage), then the browser project,
// on the other. `pnpm test:stress` proves the media and browser suites hold
// with one core taken.
import { isMediaFile, nodeTestFiles, runLane, runSideBySide } from './test-lanes.mjs';

const files = nodeTestFiles();
const passed = await runSideBySide('test:unit', [
  ['media', 'node', files.filter(isMediaFile)],
  [
    'node+browser',
    async () =>
      (await runLane(
        'node',
        'node',
        files.filter((file) => !isMediaFile(file)),
      )) || runLane('browser', 'browser', undefined),
  ],
]);
process.exit(passed ? 0 : 1);

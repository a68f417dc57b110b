#!/usr/bin/env node
// `pnpm test:unit`: four lanes, one after the other: the end-to-end lane (the
// example apps' Chromium files, one file at a time), the media lane (the
// node project's ffmpeg and SFU files), the rest of the node project
// (protocol, core, the server's REST, realtime, domains and storage), then
// the browser project. An end-to-end file puts a publishing browser,
// viewers, the server and ffmpeg's ladder on the machine's two cores: beside
// another lane, or beside another media file, they failed on this machine
// (docs/development.md). `pnpm test:stress` runs the
// media and browser suites with one core taken.
import { isEndToEndFile, isMediaFile, nodeTestFiles, runInTurn } from './test-lanes.mjs';

const files = nodeTestFiles();
const passed = await runInTurn('test:unit', [
  // The end-to-end pages one file at a time, then the other media files side by side.
  ['e2e', 'node', files.filter(isEndToEndFile), {}, ['--no-file-parallelism']],
  ['media', 'node', files.filter((file) => isMediaFile(file) && !isEndToEndFile(file))],
  ['node', 'node', files.filter((file) => !isMediaFile(file))],
  ['browser', 'browser', undefined],
]);
process.exit(passed ? 0 : 1);

/**
 * mediasoup-client as the browser build loads it. The library is CommonJS:
 * esbuild gives a chunk split off a CommonJS module nothing but a default
 * export, so `import('mediasoup-client')` in `@onair/core` would find no
 * `Device`. The build resolves `mediasoup-client` to this module, whose named
 * exports esbuild knows, and this module's own import to the library's
 * `Device` module: `Device` is all `@onair/core` takes, and the library's
 * index would also bring its test handlers and fake parameters. (Bundlers
 * that consume the npm build do this themselves.)
 * @internal
 */
export { Device, detectDevice, detectDeviceAsync } from 'mediasoup-client';

/**
 * mediasoup-client as the browser build loads it. The library is CommonJS:
 * esbuild gives a chunk split off a CommonJS module nothing but a default
 * export, so `import('mediasoup-client')` in `@onair/core` would find no
 * `Device`. The build resolves `mediasoup-client` to this module, whose named
 * exports esbuild knows. (Bundlers that consume the npm build do this
 * themselves.)
 * @internal
 */
export {
  Device,
  detectDevice,
  detectDeviceAsync,
  parseScalabilityMode,
  version,
} from 'mediasoup-client';

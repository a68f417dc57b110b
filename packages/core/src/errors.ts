/*
 * The SDK's error type lives in @onair/protocol so that the server and the
 * client throw the same class; core exposes it under its own name.
 */
export { OnAirError } from '@onair/protocol';

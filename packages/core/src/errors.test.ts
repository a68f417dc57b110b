import { describe, expect, it } from 'vitest';
import { OnAirError } from './errors.js';
import { mediaError } from './publish/capture.js';

const domError = (name: string) => Object.assign(new Error(name), { name });

describe('errors', () => {
  it('maps getUserMedia failures to typed codes', () => {
    expect(mediaError(domError('NotAllowedError')).code).toBe('PERMISSION_DENIED');
    expect(mediaError(domError('NotFoundError')).code).toBe('DEVICE_NOT_FOUND');
    expect(mediaError(domError('NotReadableError')).code).toBe('DEVICE_IN_USE');
    expect(mediaError(domError('Weird')).code).toBe('INTERNAL');
    const cause = domError('NotAllowedError');
    expect(mediaError(cause).cause).toBe(cause);
  });

  it('keeps codes of envelopes and OnAirErrors', () => {
    const typed = new OnAirError('RATE_LIMITED', 'slow down');
    expect(OnAirError.from(typed)).toBe(typed);
    expect(OnAirError.from({ code: 'NOT_FOUND', message: 'gone' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(OnAirError.from('oops', 'NETWORK')).toMatchObject({ code: 'NETWORK', message: 'oops' });
  });
});

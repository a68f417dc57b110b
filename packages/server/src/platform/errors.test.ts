import { OnAirError } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { isOutage, toEnvelope } from './errors.js';

describe('toEnvelope', () => {
  it('keeps OnAirErrors, hides unknown errors, and calls outages UNAVAILABLE', () => {
    expect(toEnvelope(new OnAirError('NOT_FOUND', 'gone'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(toEnvelope(new Error('secret detail'))).toEqual({
      code: 'INTERNAL',
      message: 'Internal server error',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const wrapped = new Error('Failed query: select 1', { cause: refused });
    expect(toEnvelope(wrapped).code).toBe('UNAVAILABLE');
    expect(isOutage(new AggregateError([refused], 'connect failed'))).toBe(true);
    expect(isOutage(Object.assign(new Error('terminating'), { code: '57P01' }))).toBe(true);
    expect(isOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isOutage(new Error('Command timed out'))).toBe(true);
    expect(isOutage(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});

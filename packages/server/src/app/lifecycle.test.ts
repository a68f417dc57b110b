import { describe, expect, it } from 'vitest';
import { Lifecycle } from './lifecycle.js';

describe('Lifecycle', () => {
  it('closes last started first, once, however often close is called', async () => {
    const closed: string[] = [];
    const lifecycle = new Lifecycle(() => undefined);
    for (const name of ['storage', 'http', 'media']) {
      lifecycle.defer(name, async () => {
        closed.push(name);
      });
    }
    await Promise.all([lifecycle.close(), lifecycle.close()]);
    await lifecycle.close();
    expect(closed).toEqual(['media', 'http', 'storage']);
    expect(() => lifecycle.defer('late', () => undefined)).toThrow(/after close/);
  });

  it('unwinds what started when a start fails, and rethrows', async () => {
    const closed: string[] = [];
    const lifecycle = new Lifecycle(() => undefined);
    const failure = new Error('port taken');
    await expect(
      lifecycle.start(async () => {
        lifecycle.defer('storage', () => closed.push('storage'));
        lifecycle.defer('rtmp', () => closed.push('rtmp'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(closed).toEqual(['rtmp', 'storage']);
  });

  it('logs a step that fails or hangs and goes on with the others', async () => {
    const logged: string[] = [];
    const closed: string[] = [];
    const lifecycle = new Lifecycle((message) => logged.push(message), 50);
    lifecycle.defer('storage', () => closed.push('storage'));
    lifecycle.defer('ffmpeg', () => new Promise(() => undefined));
    lifecycle.defer('socket', () => {
      throw new Error('already closed');
    });
    await lifecycle.close();
    expect(closed).toEqual(['storage']);
    expect(logged).toEqual([
      'shutdown: socket failed: Error: already closed',
      'shutdown: ffmpeg did not finish in 0.05 s',
    ]);
  });
});

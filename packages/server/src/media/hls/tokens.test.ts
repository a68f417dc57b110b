import { describe, expect, it } from 'vitest';
import { HlsTokens, playlistWithQuery, tokenQuery } from './tokens.js';

const SECRET = 'a-server-secret-of-enough-length!';
const viewer = { subject: 'usr_ann', version: 0, staff: false };

describe('HlsTokens', () => {
  it('signs per stream and per viewer, expires, and refuses tampering', () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const tokens = new HlsTokens(SECRET, 60, () => now);
    const token = tokens.sign('str_one', viewer);
    expect(tokens.verify('str_one', token)).toEqual({
      ...viewer,
      expires: Math.floor(now / 1000) + 60,
    });
    expect(tokens.verify('str_two', token)).toBeUndefined();
    expect(tokens.verify('str_one', `${token}x`)).toBeUndefined();
    expect(
      tokens.verify(
        'str_one',
        token.replace(/^\d+/, (n) => String(Number(n) + 3600)),
      ),
    ).toBeUndefined();
    // Neither the subject, the version nor the scope can be swapped.
    const [exp, version, , subject, mac] = token.split('.');
    const other = Buffer.from('usr_bob').toString('base64url');
    expect(tokens.verify('str_one', [exp, version, 'v', other, mac].join('.'))).toBeUndefined();
    expect(tokens.verify('str_one', [exp, '1', 'v', subject, mac].join('.'))).toBeUndefined();
    expect(tokens.verify('str_one', [exp, version, 's', subject, mac].join('.'))).toBeUndefined();
    expect(tokens.verify('str_one', undefined)).toBeUndefined();
    expect(tokens.verify('str_one', 'garbage')).toBeUndefined();
    now += 61_000;
    expect(tokens.verify('str_one', token)).toBeUndefined();
    expect(new HlsTokens('another-secret-of-enough-length!!', 60).verify('str_one', token)).toBe(
      undefined,
    );
  });

  it('parses strictly: exact part count, base64url alphabet, nothing appended', () => {
    const tokens = new HlsTokens(SECRET, 60);
    const token = tokens.sign('str_one', viewer);
    expect(tokens.verify('str_one', token)).toBeDefined();
    for (const bad of [
      `${token}.x`,
      `${token}\n#EXT-X-INJECTED`,
      `${token}%0A`,
      ` ${token}`,
      token.replace(/\.([^.]+)$/, '.$1='),
      token.replace(/\.([^.]+)$/, (_m, mac: string) => `.${mac.slice(0, -1)}+`),
      token.split('.').slice(1).join('.'),
    ]) {
      expect(tokens.verify('str_one', bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('signs URLs with a query that needs no escaping and keeps subjects of any text', () => {
    const tokens = new HlsTokens(SECRET, 60);
    const url = tokens.signUrl('/hls/x/master.m3u8', 'x', { ...viewer, subject: 'user é/?&#' });
    expect(url).toMatch(/^\/hls\/x\/master\.m3u8\?token=[\w.-]+$/);
    const token = decodeURIComponent(url.split('?token=')[1] as string);
    expect(tokens.verify('x', token)?.subject).toBe('user é/?&#');
    expect(tokenQuery('a b\n')).toBe('?token=a%20b%0A');
  });

  it('passes the token on to every URI of a playlist', () => {
    const playlist = [
      '#EXTM3U',
      '#EXT-X-MAP:URI="init-0.mp4"',
      '#EXT-X-PART:DURATION=0.3,URI="0.0.m4s",INDEPENDENT=YES',
      '#EXTINF:2,',
      '0.m4s',
      '720p/index.m3u8',
      '',
    ].join('\n');
    expect(playlistWithQuery(playlist, '?token=t')).toBe(
      [
        '#EXTM3U',
        '#EXT-X-MAP:URI="init-0.mp4?token=t"',
        '#EXT-X-PART:DURATION=0.3,URI="0.0.m4s?token=t",INDEPENDENT=YES',
        '#EXTINF:2,',
        '0.m4s?token=t',
        '720p/index.m3u8?token=t',
        '',
      ].join('\n'),
    );
    expect(() => playlistWithQuery(playlist, '?token=t\n#EXT-X-INJECTED')).toThrow();
  });
});

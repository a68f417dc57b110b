import { describe, expect, it } from 'vitest';
import { HlsTokens, playlistWithQuery } from './tokens.js';

describe('HlsTokens', () => {
  it('signs per stream, expires, and refuses tampering', () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const tokens = new HlsTokens('a-server-secret-of-enough-length!', 60, () => now);
    const token = tokens.sign('str_one');
    expect(tokens.verify('str_one', token)).toBe(true);
    expect(tokens.verify('str_two', token)).toBe(false);
    expect(tokens.verify('str_one', `${token}x`)).toBe(false);
    expect(
      tokens.verify(
        'str_one',
        token.replace(/^\d+/, (n) => String(Number(n) + 3600)),
      ),
    ).toBe(false);
    expect(tokens.verify('str_one', undefined)).toBe(false);
    expect(tokens.verify('str_one', 'garbage')).toBe(false);
    now += 61_000;
    expect(tokens.verify('str_one', token)).toBe(false);
    expect(new HlsTokens('another-secret-of-enough-length!!', 60).verify('str_one', token)).toBe(
      false,
    );
  });

  it('signs only what needs it', () => {
    const tokens = new HlsTokens('a-server-secret-of-enough-length!', 60);
    expect(tokens.signUrl('/hls/x/master.m3u8', 'x', 'public')).toBe('/hls/x/master.m3u8');
    expect(tokens.signUrl('/hls/x/master.m3u8', 'x', 'unlisted')).toBe('/hls/x/master.m3u8');
    expect(tokens.signUrl('/hls/x/master.m3u8', 'x', 'private')).toMatch(/\?token=\d+\.[\w-]+$/);
    expect(tokens.signUrl('/hls/x/master.m3u8', 'x', 'followers')).toMatch(/\?token=/);
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
  });
});

import { describe, expect, it } from 'vitest';
import { validateMaster } from '../../../../../scripts/validate-ll-hls.js';
import { type MasterEntry, masterPlaylist, nominalFrameRate, startingOrder } from './playlist.js';

const rung = (height: number, bandwidth: number): MasterEntry => ({
  uri: `${height}p/index.m3u8`,
  bandwidth,
  codecs: ['avc1.4d401f', 'mp4a.40.2'],
  width: Math.round((height * 16) / 9),
  height,
  frameRate: 30,
});

describe('the multivariant playlist', () => {
  it('lists the rung players start on first: the middle one, then the rest from the top down', () => {
    const ladder = [
      rung(240, 500_000),
      rung(1080, 5_000_000),
      rung(480, 1_400_000),
      rung(720, 2_800_000),
    ];
    expect(startingOrder(ladder).map((e) => e.height)).toEqual([720, 1080, 480, 240]);
    expect(startingOrder(ladder.slice(0, 3)).map((e) => e.height)).toEqual([480, 1080, 240]);
    expect(startingOrder([rung(360, 900_000), rung(240, 500_000)]).map((e) => e.height)).toEqual([
      360, 240,
    ]);
    expect(startingOrder([rung(360, 900_000)]).map((e) => e.height)).toEqual([360]);

    const master = validateMaster(masterPlaylist(ladder.slice(0, 3)));
    expect(master.variants.map((v) => v.uri)).toEqual([
      '480p/index.m3u8',
      '1080p/index.m3u8',
      '240p/index.m3u8',
    ]);
  });
});

describe('FRAME-RATE', () => {
  it('states a measured rate as the nominal rate it is within 0.2 % of, and any other to three decimals', () => {
    expect([29.995, 30.005, 30.04].map(nominalFrameRate)).toEqual([30, 30, 30]);
    expect([29.97, 29.965, 23.98, 59.94, 25.01].map(nominalFrameRate)).toEqual([
      29.97, 29.97, 23.976, 59.94, 25,
    ]);
    expect([15, 27.5, 29.9].map(nominalFrameRate)).toEqual([15, 27.5, 29.9]);
  });
});

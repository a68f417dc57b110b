import type { RtpParameters } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type GenericNack,
  RtcpRrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
} from 'werift';
import { recordingTransport } from '../../../test/recording-transport.js';
import { NackRequester } from './nack.js';
import { Producer } from './producer.js';

describe('NackRequester', () => {
  it('asks for gaps after a reordering allowance, retries, recovers and gives up', () => {
    const lost = vi.fn();
    const nack = new NackRequester(lost);
    expect(nack.received(65534, 0)).toBe('new');
    expect(nack.received(2, 0)).toBe('new'); // 65535, 0 and 1 are missing
    expect(nack.due(5)).toEqual([]); // may be reordering
    expect(nack.received(65535, 6)).toBe('recovered');
    expect(nack.due(12)).toEqual([0, 1]);
    expect(nack.due(50)).toEqual([]); // waits a round trip
    expect(nack.received(0, 60)).toBe('recovered');
    expect(nack.received(0, 61)).toBe('duplicate');
    expect(nack.due(120)).toEqual([1]);
    expect(nack.due(220)).toEqual([1]);
    expect(nack.due(320)).toEqual([1]); // fourth and last
    expect(lost).not.toHaveBeenCalled();
    expect(nack.due(420)).toEqual([]);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(nack.pending).toBe(0);
    expect({ requested: nack.requested, recovered: nack.recovered }).toEqual({
      requested: 5,
      recovered: 2,
    });
  });

  it('treats a huge gap as an outage: no NACK storm, a keyframe instead', () => {
    const lost = vi.fn();
    const nack = new NackRequester(lost);
    nack.received(100, 0);
    nack.received(5000, 0);
    expect(nack.pending).toBe(0);
    expect(lost).toHaveBeenCalledTimes(1);
  });
});

describe('Producer loss repair', () => {
  const open: Producer[] = [];
  afterEach(() => {
    for (const p of open.splice(0)) p.close();
    vi.useRealTimers();
  });

  const parameters: RtpParameters = {
    codecs: [
      { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
    ],
    encodings: [{ ssrc: 5000, rtx: { ssrc: 5001 } }],
  };
  const packet = (ssrc: number, pt: number, seq: number, payload: Buffer) =>
    new RtpPacket(
      new RtpHeader({ ssrc, payloadType: pt, sequenceNumber: seq, timestamp: seq * 3000 }),
      payload,
    );

  it('NACKs a lost packet and takes it back from RTX, ignoring duplicates and RTX padding', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'performance'] });
    const pub = recordingTransport();
    const producer = new Producer('str_1', 'video', parameters, pub.transport, 1e6);
    open.push(producer);
    const got: Array<[number, string]> = [];
    producer.onPacket((p) => got.push([p.header.sequenceNumber, p.payload.toString()]));
    pub.receive(packet(5000, 96, 10, Buffer.from('ten')));
    pub.receive(packet(5000, 96, 12, Buffer.from('twelve')));
    vi.advanceTimersByTime(40);
    const nacks = pub.rtcp
      .filter((p): p is RtcpTransportLayerFeedback => p instanceof RtcpTransportLayerFeedback)
      .map((p) => p.feedback as GenericNack);
    expect(nacks.map((n) => [n.mediaSourceSsrc, n.lost])).toEqual([[5000, [11]]]);
    // The publisher answers over RTX: its own numbering, the original first in the payload.
    const osn = Buffer.alloc(2);
    osn.writeUInt16BE(11);
    pub.receive(packet(5001, 97, 300, Buffer.concat([osn, Buffer.from('eleven')])));
    pub.receive(packet(5001, 97, 301, Buffer.concat([osn, Buffer.from('eleven')]))); // again
    pub.receive(packet(5001, 97, 302, Buffer.alloc(0))); // a bandwidth probe
    expect(got).toEqual([
      [10, 'ten'],
      [12, 'twelve'],
      [11, 'eleven'],
    ]);
    expect(producer.repair).toEqual({ requested: 1, recovered: 1 });
    vi.advanceTimersByTime(500);
    expect(pub.rtcp.filter((p) => p instanceof RtcpTransportLayerFeedback)).toHaveLength(1);
  });

  it('sends receiver reports: loss since the last one, cumulative loss, highest sequence', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'performance'] });
    const pub = recordingTransport();
    const producer = new Producer('str_1', 'video', parameters, pub.transport, 1e6);
    open.push(producer);
    for (const seq of [100, 101, 103, 104]) pub.receive(packet(5000, 96, seq, Buffer.from('x')));
    vi.advanceTimersByTime(1000);
    const reports = () =>
      pub.rtcp.filter((p): p is RtcpRrPacket => p instanceof RtcpRrPacket).map((p) => p.reports[0]);
    expect(reports()).toHaveLength(1);
    expect(reports()[0]).toMatchObject({
      ssrc: 5000,
      fractionLost: Math.floor(256 / 5),
      packetsLost: 1,
      highestSequence: 104,
    });
    // 102 never came (the NACKs gave up); the next second is clean.
    for (const seq of [105, 106]) pub.receive(packet(5000, 96, seq, Buffer.from('x')));
    vi.advanceTimersByTime(1000);
    expect(reports()[1]).toMatchObject({ fractionLost: 0, packetsLost: 1, highestSequence: 106 });
  });
});

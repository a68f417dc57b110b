import type { RtpCapabilities, RtpParameters } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPacketConverter,
  RtcpPayloadSpecificFeedback,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
} from 'werift';
import { recordingTransport } from '../../../test/recording-transport.js';
import { h264StartsKeyframe, vp8StartsKeyframe } from '../video-probe.js';
import { Consumer } from './consumer.js';
import { planConsumer } from './consumer-plan.js';
import { KEYFRAME_RELAY_INTERVAL_MS, Producer } from './producer.js';
import { ROUTER_RTP_CAPABILITIES } from './router-capabilities.js';
import { viewerFeedback } from './rtcp-feedback.js';
import { SequenceMap } from './sequence-map.js';

/*
 * The consumer's packet rewriting and feedback handling, with the network
 * boundary (the WebRTC transport's socket) replaced by a recorder. The
 * Chromium end-to-end test covers the same path over real DTLS/SRTP.
 */

// What Chrome sends: its own payload types (109, RTX 114), and its own extension ids.
const H264_PARAMS = (encodings: RtpParameters['encodings']): RtpParameters => ({
  mid: '0',
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 109,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '640c1f' },
    },
    { mimeType: 'video/rtx', payloadType: 114, clockRate: 90000, parameters: { apt: 109 } },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 9 },
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id', id: 10 },
  ],
  encodings,
  rtcp: { cname: 'publisher-cname' },
});

const IDR = Buffer.from([0x65, 0x88, 0x84, 0x00]);
const SPS_PPS = Buffer.from([0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce]);
const SLICE = Buffer.from([0x41, 0x9a, 0x00, 0x01]);

function rtp(ssrc: number, seq: number, ts: number, payload: Buffer, rid?: string): RtpPacket {
  return new RtpPacket(
    new RtpHeader({
      payloadType: 109,
      sequenceNumber: seq & 0xffff,
      timestamp: ts >>> 0,
      ssrc,
      marker: true,
      extensions: [
        { id: 9, payload: Buffer.from('0') },
        ...(rid ? [{ id: 10, payload: Buffer.from(rid) }] : []),
      ],
    }),
    payload,
  );
}

const DEVICE = ROUTER_RTP_CAPABILITIES as unknown as RtpCapabilities;
const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
  vi.useRealTimers();
});

function setup(encodings: RtpParameters['encodings'] = [{ ssrc: 1111 }]) {
  const pub = recordingTransport();
  const view = recordingTransport();
  const producer = new Producer('str_1', 'video', H264_PARAMS(encodings), pub.transport, 2e6);
  const consumer = new Consumer(producer, view.transport, DEVICE, '3');
  open.push(producer, consumer);
  return { pub, view, producer, consumer };
}

describe('SequenceMap', () => {
  it('closes the gaps left by dropped padding, also for late packets', () => {
    const map = new SequenceMap(1000);
    expect(map.map(65534)).toBe(1000);
    map.drop(65535);
    map.drop(0);
    expect(map.map(1)).toBe(1001);
    expect(map.map(3)).toBe(1003); // 2 is late
    expect(map.map(2)).toBe(1002);
    expect(map.map(65533)).toBeUndefined(); // before the source started
  });

  it('continues the numbering when the source changes', () => {
    const map = new SequenceMap(10);
    map.map(500);
    map.map(501);
    map.reset(40_000);
    expect(map.map(40_000)).toBe(12);
    expect(map.map(40_001)).toBe(13);
  });
});

describe('viewer feedback', () => {
  it('tells REMB (PT 206 FMT 15) from keyframe requests, and reads NACKs', () => {
    const parsed = RtcpPacketConverter.deSerialize(
      Buffer.concat([
        new RtcpPayloadSpecificFeedback({
          feedback: new ReceiverEstimatedMaxBitrate({
            senderSsrc: 1,
            mediaSsrc: 0,
            brExp: 3,
            brMantissa: 150_000,
            bitrate: 1_200_000n,
            ssrcNum: 1,
            ssrcFeedbacks: [42],
          }),
        }).serialize(),
        new RtcpPayloadSpecificFeedback({
          feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: 42 }),
        }).serialize(),
        new RtcpPayloadSpecificFeedback({
          feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: 7 }),
        }).serialize(),
        new RtcpTransportLayerFeedback({
          feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: 42, lost: [5, 6, 9] }),
        }).serialize(),
      ]),
    );
    expect(viewerFeedback(parsed, 42)).toEqual([
      { type: 'remb', bitrate: 1_200_000 },
      { type: 'keyframe' },
      { type: 'nack', lost: [5, 6, 9] },
    ]);
  });
});

describe('keyframe detection', () => {
  it('finds H.264 IDR and SPS starts and VP8 key frames', () => {
    expect(h264StartsKeyframe(SPS_PPS)).toBe(true);
    expect(h264StartsKeyframe(IDR)).toBe(true);
    expect(h264StartsKeyframe(Buffer.from([0x7c, 0x85, 0x00]))).toBe(true); // FU-A start, IDR
    expect(h264StartsKeyframe(Buffer.from([0x7c, 0x05, 0x00]))).toBe(false); // FU-A middle
    expect(h264StartsKeyframe(SLICE)).toBe(false);
    expect(vp8StartsKeyframe(Buffer.from([0x90, 0x80, 0x92, 0x34, 0x10, 0x02, 0x00]))).toBe(true);
    expect(vp8StartsKeyframe(Buffer.from([0x90, 0x80, 0x92, 0x34, 0x11, 0x02, 0x00]))).toBe(false);
    expect(vp8StartsKeyframe(Buffer.from([0x80, 0x80, 0x12, 0x34, 0x10]))).toBe(false); // not a start
  });
});

describe('planConsumer', () => {
  it("uses the router's payload types and RTX apt, the producer's profile, and only SFU extensions", () => {
    const { producer } = setup();
    const plan = planConsumer(producer, DEVICE, '3');
    expect(plan.rtpParameters.codecs).toMatchObject([
      {
        mimeType: 'video/H264',
        payloadType: 102,
        parameters: { 'packetization-mode': 1, 'profile-level-id': '640c1f' },
      },
      { mimeType: 'video/rtx', payloadType: 103, parameters: { apt: 102 } },
    ]);
    expect(plan.rtpParameters.headerExtensions?.map((e) => e.uri)).toEqual([
      'urn:ietf:params:rtp-hdrext:sdes:mid',
      'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    ]);
    expect(plan.rtpParameters.rtcp?.cname).toBe('publisher-cname');
    expect(plan.rtpParameters.encodings?.[0]?.rtx?.ssrc).toBe(plan.rtxSsrc);
  });

  it('refuses a device that cannot receive the codec', () => {
    const { producer } = setup();
    const vp8Only = {
      ...DEVICE,
      codecs: DEVICE.codecs?.filter((c) => !/h264/i.test(c.mimeType)),
    };
    expect(() => planConsumer(producer, vp8Only, '3')).toThrow(/cannot receive video\/H264/);
  });
});

describe('Consumer', () => {
  it('starts at a keyframe, rewrites SSRC, payload type, numbering and extensions, skips padding', () => {
    const { pub, view, consumer } = setup();
    consumer.resume();
    pub.receive(rtp(1111, 100, 9000, SLICE)); // before any keyframe: held back
    pub.receive(rtp(1111, 101, 12000, SPS_PPS));
    pub.receive(rtp(1111, 102, 12000, IDR));
    pub.receive(rtp(1111, 103, 12000, Buffer.alloc(0))); // padding
    pub.receive(rtp(1111, 104, 15000, SLICE));
    expect(view.sent.map((p) => p.payload)).toEqual([SPS_PPS, IDR, SLICE]);
    const [first, , last] = view.sent.map((p) => p.header);
    expect(first?.ssrc).toBe(consumer.plan.ssrc);
    expect(first?.payloadType).toBe(102);
    expect(last?.sequenceNumber).toBe(((first?.sequenceNumber ?? 0) + 2) & 0xffff);
    expect(last?.timestamp).toBe(15000);
    expect(first?.extensions.map((e) => e.id).sort()).toEqual([1, 4]);
    expect(first?.extensions.find((e) => e.id === 1)?.payload.toString()).toBe('3');
  });

  it("maps the publisher's sender reports onto its own, unless told not to (no lip-sync hold)", () => {
    vi.useFakeTimers();
    const reports = (senderReports?: boolean) => {
      const pub = recordingTransport();
      const view = recordingTransport();
      const producer = new Producer(
        'str_1',
        'video',
        H264_PARAMS([{ ssrc: 1111 }]),
        pub.transport,
        2e6,
      );
      const consumer = new Consumer(producer, view.transport, DEVICE, '3', { senderReports });
      open.push(producer, consumer);
      consumer.resume();
      pub.feedback([
        new RtcpSrPacket({
          ssrc: 1111,
          senderInfo: new RtcpSenderInfo({
            ntpTimestamp: 0x1234_5678_0000_0000n,
            rtpTimestamp: 12000,
            packetCount: 2,
            octetCount: 100,
          }),
        }),
      ]);
      pub.receive(rtp(1111, 1, 12000, SPS_PPS));
      pub.receive(rtp(1111, 2, 12000, IDR));
      vi.advanceTimersByTime(2_500);
      return view.rtcp.filter((p): p is RtcpSrPacket => p instanceof RtcpSrPacket);
    };
    const sent = reports();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]?.senderInfo.packetCount).toBe(2);
    expect(reports(false)).toEqual([]);
  });

  it('sends nothing while paused', () => {
    const { pub, view } = setup();
    pub.receive(rtp(1111, 1, 0, SPS_PPS));
    expect(view.sent).toEqual([]);
  });

  it('answers a NACK over RTX with the original sequence number first', () => {
    const { pub, view, consumer } = setup();
    consumer.resume();
    pub.receive(rtp(1111, 7, 0, SPS_PPS));
    pub.receive(rtp(1111, 8, 0, IDR));
    const lostSeq = view.sent[1]?.header.sequenceNumber as number;
    view.feedback([
      new RtcpTransportLayerFeedback({
        feedback: new GenericNack({
          senderSsrc: 9,
          mediaSourceSsrc: consumer.plan.ssrc,
          lost: [lostSeq],
        }),
      }),
    ]);
    const resent = view.sent[2];
    expect(resent?.header.ssrc).toBe(consumer.plan.rtxSsrc);
    expect(resent?.header.payloadType).toBe(103);
    expect(resent?.payload.readUInt16BE(0)).toBe(lostSeq);
    expect(resent?.payload.subarray(2)).toEqual(IDR);
    expect(consumer.retransmitted).toBe(1);
  });

  it("relays viewers' PLI at most once per interval, and never for REMB", () => {
    vi.useFakeTimers();
    const { pub, view, consumer } = setup();
    consumer.resume(); // asks for a keyframe once
    pub.receive(rtp(1111, 1, 0, SPS_PPS));
    const plis = () =>
      pub.rtcp.filter(
        (p) =>
          p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication,
      ).length;
    expect(plis()).toBe(1);
    const pli = () =>
      view.feedback([
        new RtcpPayloadSpecificFeedback({
          feedback: new PictureLossIndication({ senderSsrc: 9, mediaSsrc: consumer.plan.ssrc }),
        }),
      ]);
    const remb = () =>
      view.feedback([
        new RtcpPayloadSpecificFeedback({
          feedback: new ReceiverEstimatedMaxBitrate({
            senderSsrc: 9,
            mediaSsrc: 0,
            brExp: 0,
            brMantissa: 200_000,
            bitrate: 200_000n,
            ssrcNum: 1,
            ssrcFeedbacks: [consumer.plan.ssrc],
          }),
        }),
      ]);
    for (let i = 0; i < 5; i++) {
      pli();
      remb();
    }
    expect(plis()).toBe(1);
    vi.advanceTimersByTime(KEYFRAME_RELAY_INTERVAL_MS);
    expect(plis()).toBe(2); // the five merged into one
    for (let i = 0; i < 5; i++) remb();
    vi.advanceTimersByTime(KEYFRAME_RELAY_INTERVAL_MS * 3);
    expect(plis()).toBe(2);
  });

  it('switches simulcast layers at a keyframe with continuous numbering and clock', () => {
    const { pub, view, consumer, producer } = setup([{ rid: 'q' }, { rid: 'f' }]);
    // Both layers learnt from their RID extension.
    pub.receive(rtp(2001, 500, 90_000, SLICE, 'q'));
    pub.receive(rtp(2002, 9000, 1_000_000, SLICE, 'f'));
    expect(producer.layers.map((l) => l.ssrc)).toEqual([2001, 2002]);
    consumer.resume();
    pub.receive(rtp(2002, 9001, 1_003_000, SPS_PPS, 'f'));
    pub.receive(rtp(2001, 501, 93_000, SPS_PPS, 'q')); // the other layer: not forwarded
    pub.receive(rtp(2002, 9002, 1_006_000, SLICE, 'f'));
    expect(view.sent).toHaveLength(2);
    consumer.setPreferredLayer(0);
    pub.receive(rtp(2001, 502, 96_000, SLICE, 'q')); // not a keyframe: wait
    pub.receive(rtp(2002, 9003, 1_009_000, SLICE, 'f')); // still the old layer
    pub.receive(rtp(2001, 503, 99_000, SPS_PPS, 'q')); // switch here
    pub.receive(rtp(2001, 504, 102_000, SLICE, 'q'));
    pub.receive(rtp(2002, 9004, 1_012_000, SLICE, 'f')); // old layer: dropped now
    const headers = view.sent.map((p) => p.header);
    expect(view.sent).toHaveLength(5);
    expect(consumer.currentLayer).toBe(0);
    const seqs = headers.map((h) => h.sequenceNumber);
    expect(seqs.map((s) => (s - (seqs[0] as number)) & 0xffff)).toEqual([0, 1, 2, 3, 4]);
    // The new layer's clock continues from the old one's, not from its own base.
    const step = ((headers[3]?.timestamp as number) - (headers[2]?.timestamp as number)) >>> 0;
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(90_000);
    expect(((headers[4]?.timestamp as number) - (headers[3]?.timestamp as number)) >>> 0).toBe(
      3000,
    );
  });

  it('steps down on a congested REMB, tries higher again after a wait, and backs off after a failed try', () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'performance'],
    });
    const { pub, view, consumer } = setup([{ rid: 'q' }, { rid: 'h' }, { rid: 'f' }]);
    // Layers at about 100 kbit/s, 400 kbit/s and 1.2 Mbit/s, each with a keyframe every second.
    const layers = [
      { ssrc: 3001, rid: 'q', bytes: 12_500 },
      { ssrc: 3002, rid: 'h', bytes: 50_000 },
      { ssrc: 3003, rid: 'f', bytes: 150_000 },
    ];
    let seq = 0;
    const remb = (bitrate: number) =>
      view.feedback([
        new RtcpPayloadSpecificFeedback({
          feedback: new ReceiverEstimatedMaxBitrate({
            senderSsrc: 9,
            mediaSsrc: 0,
            brExp: 4,
            brMantissa: Math.round(bitrate / 16),
            bitrate: BigInt(bitrate),
            ssrcNum: 1,
            ssrcFeedbacks: [consumer.plan.ssrc],
          }),
        }),
      ]);
    const second = (estimate?: number) => {
      seq++;
      for (const layer of layers) {
        const payload = Buffer.concat([SPS_PPS, Buffer.alloc(layer.bytes - 12 - SPS_PPS.length)]);
        pub.receive(rtp(layer.ssrc, seq, seq * 90_000, payload, layer.rid));
      }
      if (estimate !== undefined) remb(estimate);
      vi.advanceTimersByTime(1000);
    };
    second();
    second();
    consumer.resume();
    second(2_000_000);
    expect(consumer.currentLayer).toBe(2);
    // A congested link: two reports well under the top layer's rate.
    second(600_000);
    second(600_000);
    second(600_000);
    expect(consumer.currentLayer).toBe(1);
    // It holds 1 while the estimate fits it, then tries 2 after the wait (8 s).
    for (let i = 0; i < 5; i++) second(500_000);
    expect(consumer.currentLayer).toBe(1);
    for (let i = 0; i < 4; i++) second(500_000);
    expect(consumer.currentLayer).toBe(2);
    // The try fails: back to 1, and the next try waits twice as long (16 s).
    second(500_000);
    second(500_000);
    second(500_000);
    expect(consumer.currentLayer).toBe(1);
    for (let i = 0; i < 12; i++) second(500_000);
    expect(consumer.currentLayer).toBe(1);
    for (let i = 0; i < 2; i++) second(500_000);
    expect(consumer.currentLayer).toBe(2);
    // A lower preference applies at the next keyframe, whatever the estimate.
    consumer.setPreferredLayer(0);
    second(5_000_000);
    expect(consumer.currentLayer).toBe(0);
    expect(view.sent.every((p) => p.header.ssrc === consumer.plan.ssrc)).toBe(true);
  });
});

describe('Consumer of audio', () => {
  const OPUS_WITH_LEVEL: RtpParameters = {
    mid: '1',
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 1 },
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 9 },
    ],
    encodings: [{ ssrc: 2222 }],
    rtcp: { cname: 'publisher-cname' },
  };
  const opus = (seq: number, level: number) =>
    new RtpPacket(
      new RtpHeader({
        payloadType: 111,
        sequenceNumber: seq,
        timestamp: seq * 960,
        ssrc: 2222,
        extensions: [
          { id: 1, payload: Buffer.from([0x80 | level]) },
          { id: 9, payload: Buffer.from('1') },
        ],
      }),
      Buffer.from([0xfc, 0xff, 0xfe]),
    );

  it("passes the publisher's audio level on at the viewer's id, and nothing while the host muted it", () => {
    const pub = recordingTransport();
    const view = recordingTransport();
    const producer = new Producer('str_1', 'audio', OPUS_WITH_LEVEL, pub.transport, 2e6);
    const consumer = new Consumer(producer, view.transport, DEVICE, '5');
    open.push(producer, consumer);
    expect(consumer.plan.rtpParameters.headerExtensions).toContainEqual({
      uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      id: 10,
    });
    consumer.resume();
    pub.receive(opus(1, 30));
    pub.receive(opus(2, 127));
    const levels = view.sent.map((p) => p.header.extensions.find((e) => e.id === 10)?.payload[0]);
    expect(levels).toEqual([0x80 | 30, 0x80 | 127]);

    producer.muted = true;
    pub.receive(opus(3, 20));
    expect(view.sent).toHaveLength(2);
    producer.muted = false;
    pub.receive(opus(4, 20));
    expect(view.sent).toHaveLength(3);
  });
});

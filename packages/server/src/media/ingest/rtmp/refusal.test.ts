import { once } from 'node:events';
import { OnAirError } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRtmp } from '../../../../test/rtmp-publisher.js';
import { RtmpIngest } from './ingest.js';

/** What the encoder is told when its publish is refused: why, if it is its business. */
describe('an RTMP publish refused', () => {
  const logged: string[] = [];
  let failure: Error = new Error('unset');
  let ingest: RtmpIngest;
  let port = 0;
  beforeAll(async () => {
    ingest = new RtmpIngest({
      port: 0,
      host: '127.0.0.1',
      authorize: () => Promise.reject(failure),
      attach: () => undefined,
      log: (message) => logged.push(message),
    });
    port = await ingest.listen();
  });
  afterAll(() => ingest?.close());

  /** ffmpeg's output when it publishes to the ingest. */
  async function refusal(): Promise<string> {
    const encoder = publishRtmp(`rtmp://127.0.0.1:${port}/live/onair_sk_refused_key_0123`, {
      seconds: 5,
    });
    let stderr = '';
    encoder.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await once(encoder, 'exit');
    return stderr;
  }

  it('says why when the key is wrong', async () => {
    failure = new OnAirError('UNAUTHORIZED', 'Unknown stream key');
    expect(await refusal()).toContain('Unknown stream key');
  }, 30_000);

  it('does not hand an internal failure’s text (a database query) to the encoder', async () => {
    failure = new Error('Failed query: select "id" from "streams" where "stream_key_hash" = $1');
    const output = await refusal();
    expect(output).not.toContain('Failed query');
    expect(output).not.toContain('stream_key_hash');
    expect(output).toContain('Publishing is unavailable');
  }, 30_000);
});

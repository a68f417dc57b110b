/** Path prefix under which HLS output is served. */
export const HLS_PREFIX = '/hls';

/** HLS URL of a stream's master playlist (live, then the recording's). */
export const hlsUrlFor = (streamId: string): string => `${HLS_PREFIX}/${streamId}/master.m3u8`;

/** URL of a stream's poster: the newest frame while live, the recording's poster after. */
export const posterUrlFor = (streamId: string): string => `${HLS_PREFIX}/${streamId}/poster.jpg`;

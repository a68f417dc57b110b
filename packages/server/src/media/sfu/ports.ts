import { createSocket } from 'node:dgram';

async function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * Finds a free even UDP port whose odd neighbour is free too (RTP and RTCP),
 * for an ffmpeg child to listen on. There is a window between the check and
 * ffmpeg binding; the packager restarts ffmpeg if it loses that race.
 */
export async function findRtpPortPair(min = 20000, max = 40000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = min + 2 * Math.floor((Math.random() * (max - min)) / 2);
    if ((await canBind(port)) && (await canBind(port + 1))) return port;
  }
  throw new Error('No free UDP port pair for the HLS packager');
}

// Type-checked only (Node code, not bundled): the server's public types.
import { createServer, type OnAirServer, type ServerOptions } from '@onair/server';

const options: ServerOptions = { port: 0, devAuth: true, media: { enabled: false } };

export async function start(): Promise<string> {
  const server: OnAirServer = await createServer(options);
  const token = await server.issueToken('usr_1', 'Ada');
  await server.close();
  return token;
}

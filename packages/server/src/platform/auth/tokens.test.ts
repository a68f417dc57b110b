import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let jwksServer: Server;
let server: TestServer;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let publicJwk: Record<string, unknown>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'host-1', alg: 'RS256', use: 'sig' };
  jwksServer = createHttpServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const { port } = jwksServer.address() as AddressInfo;
  server = await startTestServer({
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    jwtIssuer: 'https://host.example',
    jwtAudience: 'onair',
  });
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => jwksServer.close(resolve));
});

function token(
  claims: Record<string, unknown>,
  options: { exp?: string | number | null; iss?: string } = {},
) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'host-1' })
    .setSubject('usr_jwks')
    .setIssuer(options.iss ?? 'https://host.example')
    .setAudience('onair')
    .setIssuedAt();
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? '5m');
  return jwt.sign(privateKey);
}

const createWith = async (bearer: string) =>
  (await server.request('/v1/streams', { method: 'POST', token: bearer, json: { title: 'JWKS' } }))
    .status;

describe('host-app tokens through a JWKS URL', () => {
  it('accepts an RS256 token from the host app with its roles', async () => {
    expect(await createWith(await token({ name: 'Host user', roles: ['broadcaster'] }))).toBe(201);
  });

  it('refuses expired tokens, tokens without exp, other issuers and malformed claims', async () => {
    expect(await createWith(await token({}, { exp: Math.floor(Date.now() / 1000) - 60 }))).toBe(
      401,
    );
    expect(await createWith(await token({}, { exp: null }))).toBe(401);
    expect(await createWith(await token({}, { iss: 'https://evil.example' }))).toBe(401);
    expect(await createWith(await token({ roles: ['superuser'] }))).toBe(401);
  });

  it('takes an http(s) picture claim and ignores any other picture, as an unknown claim', async () => {
    const long = `https://cdn.host.example/${'a'.repeat(2048)}`;
    for (const picture of [
      'https://cdn.host.example/a.png',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      '/relative.png',
      '',
      'https://user:secret@cdn.host.example/a.png',
      long,
      42,
    ]) {
      expect(await createWith(await token({ picture })), String(picture).slice(0, 40)).toBe(201);
    }
  });

  it('refuses algorithm confusion: HS256 signed with the public key, and alg none', async () => {
    const hmacKey = new TextEncoder().encode(JSON.stringify(publicJwk));
    const confused = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'host-1' })
      .setSubject('usr_jwks')
      .setIssuer('https://host.example')
      .setAudience('onair')
      .setExpirationTime('5m')
      .sign(hmacKey);
    expect(await createWith(confused)).toBe(401);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: 'usr_jwks',
        iss: 'https://host.example',
        aud: 'onair',
        exp: 9999999999,
      }),
    ).toString('base64url');
    expect(await createWith(`${header}.${payload}.`)).toBe(401);
  });
});

import { request as httpRequest } from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamChat } from '../backend/app.js';
import { startHarness, type TeamChatHarness } from './team-chat.js';

/*
 * The team chat end to end: members chat in channels (the app's own messages),
 * one goes live in a channel from Chromium's fake camera, another is notified,
 * watches beside the channel's messages, reacts, keeps chatting and watches
 * the replay after the end; a stream scheduled in a channel is asked to be
 * reminded of and taken live from the channel's list.
 */
let harness: TeamChatHarness;
let teamChat: TeamChat;
let browser: Browser;
/** Headers of the app's own pages posting JSON (a browser sends `Origin` on every POST). */
let ownPost: Record<string, string>;

beforeAll(async () => {
  harness = await startHarness();
  ({ teamChat, browser } = harness);
  ownPost = { 'content-type': 'application/json', origin: teamChat.url };
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

/** Signs a member in over HTTP from the app's origin; returns the `Set-Cookie` answer. */
async function signInOverHttp(memberId: string): Promise<Response> {
  return fetch(`${teamChat.url}/api/sign-in`, {
    method: 'POST',
    headers: ownPost,
    body: JSON.stringify({ memberId }),
  });
}

/** The `name=value` part of a `Set-Cookie` answer. */
function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

/** Sends a raw request target with node:http (fetch would normalise it); resolves the status. */
function rawStatus(path: string): Promise<number> {
  const { hostname, port } = new URL(teamChat.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

/** A new browser (its own cookies) signed in as a member. */
async function signIn(name: string, errors: string[]): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  await page.goto(teamChat.url);
  await page.getByRole('button', { name, exact: true }).click();
  await page.locator('#account', { hasText: name }).waitFor();
  return page;
}

/** Opens a channel from the sidebar. */
async function openChannel(page: Page, channelId: string): Promise<void> {
  await page.locator(`.sidebar li[data-channel-id="${channelId}"] button`).click();
  await page.locator(`main.channel[data-channel-id="${channelId}"]`).waitFor();
}

/** Sends a message in the open channel. */
async function say(page: Page, text: string): Promise<void> {
  await page.locator('.composer textarea').fill(text);
  await page.locator('.composer').getByRole('button', { name: 'Send' }).click();
}

/** Waits until the open channel shows a message with this text. */
async function expectMessage(page: Page, text: string): Promise<void> {
  await page.locator('.messages li', { hasText: text }).first().waitFor({ timeout: 10_000 });
}

/** Reads the player's video time through its shadow root. */
function videoTime(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelector('onair-player')?.shadowRoot?.querySelector('video')?.currentTime ?? 0,
  );
}

/** Waits until the player's video plays on (its time moves on by more than a second). */
async function expectPlaying(page: Page): Promise<void> {
  await page.locator('onair-player[data-status="playing"]').waitFor({ timeout: 60_000 });
  await expect.poll(() => videoTime(page), { timeout: 30_000 }).toBeGreaterThan(0);
  const first = await videoTime(page);
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(first + 1);
}

describe('team chat end to end (app-signed tokens, Chromium, HLS)', () => {
  it('members chat, Mia goes live in #general, Noah is notified, watches, reacts and keeps chatting', async () => {
    const errors: string[] = [];
    const mia = await signIn('Mia', errors);
    const noah = await signIn('Noah', errors);

    // They chat in #general: each sees the other's messages.
    await say(mia, 'Morning team!');
    await expectMessage(noah, 'Morning team!');
    await say(noah, 'Morning Mia');
    await expectMessage(mia, 'Morning Mia');

    // Noah looks at #design; Mia goes live in #general from the fake camera.
    await openChannel(noah, 'design');
    await mia.locator('.stream-controls').getByLabel('Stream title').fill('Sprint demo');
    await mia.locator('.stream-controls').getByRole('button', { name: 'Go live' }).click();
    const studio = mia.locator('onair-broadcaster');
    await studio.getByRole('button', { name: 'Go live' }).click();
    await mia.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    await expectMessage(mia, 'Mia started a live stream: Sprint demo');

    // Noah is notified: a badge on #general and a toast; he opens it and watches.
    const badge = noah.locator('.sidebar li[data-channel-id="general"] button[data-alert]');
    await badge.waitFor({ timeout: 15_000 });
    await noah.locator('.toast', { hasText: 'Mia went live in #general' }).waitFor();
    await noah.locator('.toast').getByRole('button', { name: 'Open' }).click();
    await noah.locator('main.channel[data-channel-id="general"]').waitFor();
    expect(await badge.count()).toBe(0);
    const banner = noah.locator('.live-banner', { hasText: 'Mia is live' });
    await banner.getByRole('button', { name: 'Watch' }).click();
    await expectPlaying(noah);
    // The player is beside the channel's own messages.
    await expectMessage(noah, '🔴 Mia is live: Sprint demo');
    expect(await noah.locator('.body.with-media .chat .messages').count()).toBe(1);

    // Noah reacts over the video: Mia's studio counts it.
    await noah
      .locator('onair-reactions[slot="overlay"]')
      .getByRole('button')
      .filter({ hasText: '🎉' })
      .click();
    await expect
      .poll(() => mia.locator('.reaction-count').getAttribute('data-count'), { timeout: 10_000 })
      .not.toBe('0');
    // Mia sees one viewer.
    await expect
      .poll(() => mia.locator('onair-viewer-count').getAttribute('data-count'), {
        timeout: 10_000,
      })
      .toBe('1');

    // They keep chatting while Noah watches.
    await say(noah, 'Looks great!');
    await expectMessage(mia, 'Looks great!');
    await say(mia, 'Thanks Noah');
    await expectMessage(noah, 'Thanks Noah');

    // Mia ends the stream: the banner goes away, the channel says it ended.
    await studio.getByRole('button', { name: 'End stream' }).click();
    await studio.getByRole('dialog').getByRole('button', { name: 'End stream' }).click();
    await mia.locator('onair-broadcaster[data-status="ended"]').waitFor({ timeout: 10_000 });
    await expectMessage(noah, "Mia's live stream ended");
    await expect.poll(() => noah.locator('.live-banner').count(), { timeout: 10_000 }).toBe(0);
    // Noah's player stays: it shows the end, then the replay once the recording is ready.
    await noah.locator('onair-player[data-phase="replay"]').waitFor({ timeout: 60_000 });
    await noah.locator('onair-player').getByRole('button', { name: 'Watch the replay' }).click();
    await expectPlaying(noah);
    // The channel lists it with its past streams, the replay a click away.
    await noah.getByRole('button', { name: 'Watch the replay of Sprint demo' }).waitFor();

    // A message over 2000 characters is refused with a typed error, shown to the member.
    await say(noah, 'x'.repeat(2001));
    const refusal = noah.locator('.composer .error[data-code="MESSAGE_LENGTH"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('1 to 2000 characters');
    expect(errors).toEqual([]);
  }, 240_000);

  it('Noah schedules a stream in #design: Mia asks to be reminded, Noah goes live from the list when ready', async () => {
    const errors: string[] = [];
    const noah = await signIn('Noah', errors);
    const mia = await signIn('Mia', errors);
    await openChannel(noah, 'design');
    await openChannel(mia, 'design');

    // In two hours, as the browser's datetime-local field takes it (local time).
    const inTwoHours = await noah.evaluate(() => {
      const at = new Date(Date.now() + 2 * 3600_000);
      at.setMinutes(at.getMinutes() - at.getTimezoneOffset());
      return at.toISOString().slice(0, 16);
    });
    const controls = noah.locator('.stream-controls');
    await controls.getByLabel('Stream title').fill('Design review');
    await controls.getByLabel('Start at').fill(inTwoHours);
    await controls.getByRole('button', { name: 'Schedule' }).click();

    // Mia sees it scheduled (OnAir's webhook told the app) and asks to be reminded.
    const scheduled = mia.getByRole('region', { name: 'Scheduled streams' });
    const item = scheduled.locator('li', { hasText: 'Design review' });
    await item.waitFor({ timeout: 10_000 });
    await item.getByRole('button', { name: 'Remind me' }).click();
    await item.locator('onair-remind-button[data-reminded="true"]').waitFor();

    // Noah is ready early: he opens his studio from the list and goes live.
    await noah
      .getByRole('region', { name: 'Scheduled streams' })
      .locator('li', { hasText: 'Design review' })
      .getByRole('button', { name: 'Open studio' })
      .click();
    const studio = noah.locator('onair-broadcaster');
    await studio.getByRole('button', { name: 'Go live' }).click();
    await noah.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    await mia.locator('.live-banner', { hasText: 'Noah is live' }).waitFor({ timeout: 10_000 });
    await expectMessage(mia, '🔴 Noah is live: Design review');
    await expect.poll(() => scheduled.count()).toBe(0);

    // He ends it: it moves to the channel's past streams, with its replay.
    await studio.getByRole('button', { name: 'End stream' }).click();
    await studio.getByRole('dialog').getByRole('button', { name: 'End stream' }).click();
    await mia
      .getByRole('region', { name: 'Past streams' })
      .getByRole('button', { name: 'Watch the replay of Design review' })
      .waitFor({ timeout: 10_000 });
    await expectMessage(mia, "Noah's live stream ended");
    expect(errors).toEqual([]);
  }, 120_000);

  it('refuses requests without a session and tokens OnAir did not get from the app', async () => {
    expect((await fetch(`${teamChat.url}/api/onair-token`)).status).toBe(401);
    const unsigned = await fetch(`${teamChat.url}/api/channels/general/messages`, {
      method: 'POST',
      headers: ownPost,
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ code: 'UNAUTHORIZED', message: 'Sign in first' });

    const cookie = cookieOf(await signInOverHttp('omar'));
    expect(cookie).toMatch(/^team_chat_session=[\w-]{43}$/);
    const tooLong = await fetch(`${teamChat.url}/api/channels/general/messages`, {
      method: 'POST',
      headers: { ...ownPost, cookie },
      body: JSON.stringify({ text: 'y'.repeat(2001) }),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ code: 'MESSAGE_LENGTH' });

    // A member schedules a stream in #design: OnAir has it scheduled, the channel says so.
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await fetch(`${teamChat.url}/api/channels/design/streams`, {
      method: 'POST',
      headers: { ...ownPost, cookie },
      body: JSON.stringify({ title: 'Design review', scheduledAt: startsAt }),
    });
    expect(scheduled.status).toBe(201);
    const { streamId } = (await scheduled.json()) as { streamId: string };
    const stream = (await (await fetch(`${teamChat.onair.url}/v1/streams/${streamId}`)).json()) as {
      status: string;
      externalId: string;
      recording: boolean;
    };
    expect(stream).toMatchObject({ status: 'scheduled', externalId: 'design', recording: true });
    const messages = (await (
      await fetch(`${teamChat.url}/api/channels/design/messages`, { headers: { cookie } })
    ).json()) as { kind: string; text: string }[];
    expect(messages.at(-1)).toMatchObject({
      kind: 'system',
      text: `Omar scheduled a live stream: Design review (${startsAt})`,
    });

    // OnAir trusts the app's signature only: a token signed with another secret is refused.
    const forged = await new SignJWT({ name: 'Mallory', roles: ['broadcaster'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mia')
      .setExpirationTime('15m')
      .sign(new TextEncoder().encode('another-secret-another-secret-0123456789'));
    const refused = await fetch(`${teamChat.onair.url}/v1/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${forged}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Forged' }),
    });
    expect(refused.status).toBe(401);
    // …and so is one with the app's secret but without its issuer and audience.
    const unaddressed = await new SignJWT({ name: 'Omar', roles: ['broadcaster'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('omar')
      .setExpirationTime('15m')
      .sign(new TextEncoder().encode(harness.jwtSecret));
    const noIssuer = await fetch(`${teamChat.onair.url}/v1/me/streams`, {
      headers: { authorization: `Bearer ${unaddressed}` },
    });
    expect(noIssuer.status).toBe(401);
    // The app's own token for a member: signed with its secret, from it (`iss`), for OnAir (`aud`)…
    const token = await (
      await fetch(`${teamChat.url}/api/onair-token`, { headers: { cookie } })
    ).text();
    const { payload } = await jwtVerify(token, new TextEncoder().encode(harness.jwtSecret), {
      issuer: 'team-chat',
      audience: 'onair',
      algorithms: ['HS256'],
    });
    expect(payload).toMatchObject({ sub: 'omar', name: 'Omar', roles: ['broadcaster'] });
    // …is accepted.
    const mine = await fetch(`${teamChat.onair.url}/v1/me/streams`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(mine.status).toBe(200);
  });

  it('refuses posts to the API from other origins (cross-site request forgery)', async () => {
    const cookie = cookieOf(await signInOverHttp('noah'));
    const post = (headers: Record<string, string>) =>
      fetch(`${teamChat.url}/api/channels/general/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ text: 'Sent from elsewhere' }),
      });
    const foreign = await post({ origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({
      code: 'FORBIDDEN_ORIGIN',
      message: 'Only the team chat pages may do this',
    });
    // No Origin at all is refused too; a sign-in from another site as well.
    expect((await post({})).status).toBe(403);
    const foreignSignIn = await fetch(`${teamChat.url}/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost.evil.example' },
      body: JSON.stringify({ memberId: 'mia' }),
    });
    expect(foreignSignIn.status).toBe(403);
    expect(foreignSignIn.headers.get('set-cookie')).toBeNull();
    const messages = (await (
      await fetch(`${teamChat.url}/api/channels/general/messages`, { headers: { cookie } })
    ).json()) as { text: string }[];
    expect(messages.map((message) => message.text)).not.toContain('Sent from elsewhere');
    // The app's own origins, or a browser's same-origin request, may post.
    expect((await post({ origin: teamChat.url })).status).toBe(201);
    const localhost = teamChat.url.replace('127.0.0.1', 'localhost');
    expect((await post({ origin: localhost })).status).toBe(201);
    expect((await post({ 'sec-fetch-site': 'same-origin' })).status).toBe(201);
  });

  it('answers 400 to a request target that is not a path', async () => {
    expect(await rawStatus('//x')).toBe(400);
    expect(await rawStatus('//')).toBe(400);
    expect(await rawStatus('/\\x')).toBe(400);
    expect(await rawStatus('/api/members')).toBe(200);
  });

  it('sends the pages with security headers, and caches only the hashed assets for good', async () => {
    for (const path of ['/', '/some/page']) {
      const page = await fetch(`${teamChat.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(page.headers.get('referrer-policy')).toBe('same-origin');
      // The build is in a folder named `assets` (see the harness): the page is still revalidated.
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${teamChat.url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-security-policy')).toBeNull();
    }
  });

  it('sends the page back to sign-in when its session is over', async () => {
    const errors: string[] = [];
    const page = await signIn('Omar', errors);
    const calls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/channels')) calls.push(request.url());
    });
    // The session is closed behind the page's back (as when it expires).
    const [session] = await page.context().cookies(teamChat.url);
    const closed = await fetch(`${teamChat.url}/api/sign-out`, {
      method: 'POST',
      headers: { origin: teamChat.url, cookie: `${session?.name}=${session?.value}` },
    });
    expect(closed.status).toBe(204);
    const notice = page.locator('.error[data-code="UNAUTHORIZED"]', { hasText: 'session ended' });
    await notice.waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Omar', exact: true }).waitFor();
    // Polling stopped: no more calls after the 401s.
    const made = calls.length;
    await page.waitForTimeout(3000);
    expect(calls.length).toBe(made);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('gives the session cookie a lifetime, and clears it on sign-out', async () => {
    const signedIn = await signInOverHttp('mia');
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^team_chat_session=[\w-]{43}; /);
    expect(cookie.split('; ').slice(1)).toEqual([
      'HttpOnly',
      'SameSite=Lax',
      'Path=/',
      `Max-Age=${7 * 24 * 60 * 60}`,
    ]);
    const session = cookieOf(signedIn);
    const signedOut = await fetch(`${teamChat.url}/api/sign-out`, {
      method: 'POST',
      headers: { origin: teamChat.url, cookie: session },
    });
    expect(signedOut.status).toBe(204);
    expect(signedOut.headers.get('set-cookie')).toBe(
      'team_chat_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0',
    );
    expect((await fetch(`${teamChat.url}/api/me`, { headers: { cookie: session } })).status).toBe(
      401,
    );
  });
});

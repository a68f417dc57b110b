import { request as httpRequest } from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoursePlatform } from '../backend/app.js';
import { type PlatformHarness, startPlatform } from './platform.js';

/*
 * The course platform end to end: its backend signs the OnAir tokens (no development
 * tokens), the teacher broadcasts from Chromium's fake camera, students watch over HLS
 * and use Q&A and polls; the backend keeps lessons to teachers.
 */
let harness: PlatformHarness;
let platform: CoursePlatform;
let browser: Browser;

beforeAll(async () => {
  harness = await startPlatform();
  ({ platform, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

/** A new browser (its own cookies) signed in as one of the platform's users. */
async function signIn(userLabel: string, errors: string[]): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => errors.push(`${userLabel}: ${e.message}`));
  await page.goto(platform.url);
  await page.getByRole('button', { name: userLabel }).click();
  await page.locator('#account').waitFor();
  return page;
}

/** Signs a token for the teacher with a secret, as the tests' attacker would. */
function signTeacherToken(secret: string, claims: { iss?: string; aud?: string } = {}) {
  return new SignJWT({ name: 'Mallory', roles: ['broadcaster'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('teacher-ada')
    .setExpirationTime('15m')
    .sign(new TextEncoder().encode(secret));
}

/** The status of `GET /v1/me/streams` on OnAir with a token (the route needs one). */
async function ownStreamsStatus(token: string): Promise<number> {
  const response = await fetch(`${platform.onair.url}/v1/me/streams`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

/** Sends a raw request target (fetch would normalise it) and returns the status. */
function rawStatus(target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${platform.url}/`, { path: target }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Reads the player's video element through its shadow root. */
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

const lessonTitles = (page: Page, list: string) =>
  page.locator(`#${list} li[data-lesson-id] a`).allTextContents();

/** Calls the platform's API from a page, with its session cookie. */
function apiStatus(page: Page, path: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ path, body }) => {
      const response = await fetch(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response.status;
    },
    { path, body },
  );
}

describe('course platform end to end (app-signed tokens, Chromium, HLS)', () => {
  it('a teacher teaches a live lesson; students watch, ask, upvote and vote; it ends under past lessons', async () => {
    const errors: string[] = [];
    const title = `Analytical engines ${Date.now()}`;

    // The teacher creates a lesson and goes live from the fake camera.
    const teacher = await signIn('Ada Lovelace (teacher)', errors);
    await teacher.getByLabel('Lesson title').fill(title);
    await teacher.getByRole('button', { name: 'Create lesson' }).click();
    await teacher.waitForURL(/\/lesson\.html\?id=les_/);
    await expect.poll(() => teacher.locator('#lesson-title').textContent()).toBe(title);
    const studio = teacher.locator('onair-broadcaster');
    await studio.getByRole('button', { name: 'Go live' }).click();
    await teacher.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });

    // A student finds it under "Live now", opens it and sees the video play.
    const ben = await signIn('Ben Carter (student)', errors);
    await expect
      .poll(() => lessonTitles(ben, 'live-lessons'), { timeout: 15_000 })
      .toContain(title);
    await ben.getByRole('link', { name: title }).click();
    await ben.waitForURL(/\/lesson\.html\?id=les_/);
    await expectPlaying(ben);
    // The teacher's own lesson page has no player, only the studio.
    expect(await teacher.locator('onair-player').count()).toBe(0);

    // Ben asks; Cleo upvotes; the teacher sees one upvote and answers in writing.
    const question = 'Can the engine compose music?';
    await ben.locator('onair-qna').getByLabel('Ask a question…').fill(question);
    await ben.locator('onair-qna').getByRole('button', { name: 'Ask' }).click();
    const cleo = await signIn('Cleo Diaz (student)', errors);
    await cleo.goto(ben.url());
    const cleoQuestion = cleo.locator('onair-qna li', { hasText: question });
    await cleoQuestion.getByRole('button', { name: /^Upvote/ }).click();
    const teacherQuestion = teacher.locator('onair-qna li', { hasText: question });
    await expect
      .poll(() => teacherQuestion.locator('.count').textContent(), { timeout: 10_000 })
      .toBe('1');
    await teacherQuestion.getByRole('button', { name: 'Write an answer' }).click();
    const answer = 'Yes, if pitch and harmony were expressed as numbers.';
    await teacherQuestion.getByRole('textbox', { name: 'Write an answer' }).fill(answer);
    await teacherQuestion.getByRole('button', { name: 'Send' }).click();
    const benQuestion = ben.locator('onair-qna li', { hasText: question });
    await benQuestion.locator('[part="answer"]', { hasText: answer }).waitFor({ timeout: 10_000 });
    await expect.poll(() => benQuestion.getAttribute('data-answered')).toBe('');

    // The teacher starts a poll; Ben votes; the teacher sees the result.
    const teacherPoll = teacher.locator('onair-poll');
    await teacherPoll.getByLabel('Question').fill('Next lesson?');
    await teacherPoll
      .getByLabel('Options, one per line (2 to 10)')
      .fill('Looms\nBernoulli numbers');
    await teacherPoll.getByRole('button', { name: 'Start poll' }).click();
    await ben.locator('onair-poll').getByRole('button', { name: 'Bernoulli numbers' }).click();
    await teacher
      .locator('onair-poll .option[data-index="1"] .share', { hasText: '100%' })
      .waitFor({ timeout: 10_000 });

    // The viewer count shows both students (the teacher is not counted).
    await expect
      .poll(() => teacher.locator('onair-viewer-count').getAttribute('data-count'), {
        timeout: 10_000,
      })
      .toBe('2');
    // The teacher's analytics: who watched lists both students (and the page loads them for
    // teachers only).
    const whoWatched = teacher.locator('onair-analytics [part="viewers"] tbody th');
    await expect
      .poll(async () => (await whoWatched.allTextContents()).sort(), { timeout: 15_000 })
      .toEqual(['Ben Carter', 'Cleo Diaz']);
    expect(await ben.locator('onair-analytics').count()).toBe(0);

    // Only teachers create lessons: the backend refuses a student, and anyone signed out
    // (from the app's origin, so that the Origin check lets the request reach the session check).
    expect(await apiStatus(ben, '/api/lessons', { title: 'Not mine to teach' })).toBe(403);
    const signedOut = await fetch(`${platform.url}/api/lessons`, {
      method: 'POST',
      headers: { origin: platform.url, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Nobody teaches this' }),
    });
    expect(signedOut.status).toBe(401);

    // OnAir trusts the app's tokens only, on a route that needs one: a token signed with
    // another secret is refused, and so is one with the right secret but no `iss` / `aud`…
    const otherSecret = 'another-secret-another-secret-0123456789';
    const claims = { iss: 'course-platform', aud: 'onair' };
    expect(await ownStreamsStatus(await signTeacherToken(otherSecret, claims))).toBe(401);
    expect(await ownStreamsStatus(await signTeacherToken(harness.jwtSecret))).toBe(401);
    // …while the app's own token for the same user is accepted.
    const token = await teacher.evaluate(() => fetch('/api/onair-token').then((r) => r.text()));
    expect(await ownStreamsStatus(token)).toBe(200);

    // The teacher ends the lesson: it moves to past lessons, and its recording plays.
    await cleo.goto(platform.url);
    await studio.getByRole('button', { name: 'End stream' }).click();
    await studio.getByRole('dialog').getByRole('button', { name: 'End stream' }).click();
    await teacher.locator('onair-broadcaster[data-status="ended"]').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => lessonTitles(cleo, 'past-lessons'), { timeout: 15_000 })
      .toContain(title);
    expect(await lessonTitles(cleo, 'live-lessons')).not.toContain(title);
    await expect
      .poll(
        () => cleo.locator('#past-lessons li', { hasText: title }).getAttribute('data-recording'),
        {
          timeout: 30_000,
        },
      )
      .toBe('true');
    await cleo.getByRole('link', { name: title }).click();
    // An ended lesson opens on its replay, waiting for the student to start it.
    await cleo
      .locator('onair-player')
      .getByRole('button', { name: 'Watch the replay' })
      .click({ timeout: 30_000 });
    await expectPlaying(cleo);
    expect(errors).toEqual([]);
  }, 240_000);

  it('signs tokens (sub, name, role, iss, aud, 15 minutes) for open sessions; only its own origin may post', async () => {
    const signIn = (userId: unknown, contentType = 'application/json') =>
      fetch(`${platform.url}/api/sign-in`, {
        method: 'POST',
        headers: { 'content-type': contentType, origin: platform.url },
        body: JSON.stringify({ userId }),
      });
    expect((await signIn('nobody')).status).toBe(400);
    // A form post from another site cannot sign anyone in: JSON only.
    expect((await signIn('student-ben', 'text/plain')).status).toBe(415);
    const response = await signIn('student-cleo');
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^course_session=[\w-]{43}; HttpOnly; SameSite=Lax; Path=\//);
    // The cookie lives as long as a session can (7 days), and is not `Secure` over plain HTTP.
    expect(cookie).toMatch(/; Max-Age=604800$/);
    expect(cookie).not.toMatch(/Secure/);
    const session = { cookie: cookie.split(';')[0] as string };

    const me = await fetch(`${platform.url}/api/me`, { headers: session });
    expect(await me.json()).toEqual({ id: 'student-cleo', name: 'Cleo Diaz', role: 'student' });
    const tokenResponse = await fetch(`${platform.url}/api/onair-token`, { headers: session });
    expect(tokenResponse.headers.get('cache-control')).toBe('no-store');
    expect(tokenResponse.status).toBe(200);
    // Signed with the harness's secret, for OnAir, by the platform.
    const { payload: claims } = await jwtVerify(
      await tokenResponse.text(),
      new TextEncoder().encode(harness.jwtSecret),
      { issuer: 'course-platform', audience: 'onair', algorithms: ['HS256'] },
    );
    expect(claims).toMatchObject({
      sub: 'student-cleo',
      name: 'Cleo Diaz',
      roles: ['viewer'],
      iss: 'course-platform',
      aud: 'onair',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);

    // Another site cannot sign the user out (nor post anything): its Origin is refused,
    // as is a post with no Origin; the session stays open.
    for (const origin of ['https://evil.example', undefined]) {
      const forged = await fetch(`${platform.url}/api/sign-out`, {
        method: 'POST',
        headers: { ...session, ...(origin === undefined ? {} : { origin }) },
      });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ code: 'FORBIDDEN_ORIGIN' });
    }
    expect((await fetch(`${platform.url}/api/me`, { headers: session })).status).toBe(200);

    // Signing out (from the app's origin) ends the session: no more tokens for it.
    const out = await fetch(`${platform.url}/api/sign-out`, {
      method: 'POST',
      headers: { ...session, origin: platform.url },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^course_session=;.*Max-Age=0/);
    expect((await fetch(`${platform.url}/api/onair-token`, { headers: session })).status).toBe(401);
  });

  it('answers 400 to request targets that are not plain paths', async () => {
    expect(await rawStatus('//x')).toBe(400);
    expect(await rawStatus('/\\x')).toBe(400);
    expect(await rawStatus('/api/users')).toBe(200);
  });

  it('sends the pages with anti-framing and referrer headers, hashed assets as immutable', async () => {
    const page = await fetch(`${platform.url}/`);
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${platform.url}${asset}`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-security-policy')).toBeNull();
  });
});

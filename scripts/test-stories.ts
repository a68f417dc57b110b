/**
 * `pnpm test:stories`: every story of the built Storybook (`storybook-static/`, made by
 * `pnpm storybook:build`) opened in Chromium, one at a time, and held to three checks:
 *
 * - **Accessibility**: axe-core finds no violation of WCAG 2.2 A/AA or of its best practices
 *   inside the story (the `region` rule is off: a story is a component, not a page).
 * - **Looks**: the story's screenshot matches `.storybook/screenshots/<story id>.png`, with
 *   at most {@link MAX_DIFF_RATIO} of the pixels different (pixelmatch, anti-aliasing ignored).
 *   A story without a screenshot fails. The clock is fixed, motion reduced and videos
 *   hidden, so a story draws the same every time; a story must also draw the same twice in a
 *   row before it is compared.
 * - **Keyboard**: Tab walks the story; every stop draws a visible focus indicator and every
 *   enabled, visible control is reached.
 *
 * `pnpm test:stories --update` writes the screenshots of the stories that differ or have none
 * (look at them before committing); `--filter <a,b>` runs the stories whose id holds a or b.
 * A failed comparison leaves the actual and the diff image in `test-results/stories/`.
 */

import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AxeResults, ElementContext, RunOptions } from 'axe-core';
import pixelmatch from 'pixelmatch';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

/** The largest share of a story's pixels that may differ from its screenshot. */
const MAX_DIFF_RATIO = 0.0002;
/** Every story sees this time: relative times, countdowns and dates draw the same. */
const FIXED_NOW = new Date('2026-06-01T12:00:00Z');
/**
 * Videos are hidden in screenshots (their frames move: the stage's test cards): hidden, not
 * masked, so a player's controls over the picture still show. The stylesheet pierces shadow roots.
 */
const HIDE_VIDEO = 'video { visibility: hidden !important; }';
/** How long a story may take to render, and then to draw the same twice in a row. */
const RENDER_TIMEOUT_MS = 15_000;
const STABLE_TIMEOUT_MS = 5_000;
/** Longer than the one-second ticks elements redraw on. */
const FIRST_TICK_MS = 1_100;

const ROOT = resolve(import.meta.dirname, '..');
const STATIC_DIR = join(ROOT, 'storybook-static');
const SCREENSHOTS_DIR = join(ROOT, '.storybook/screenshots');
const RESULTS_DIR = join(ROOT, 'test-results/stories');

const AXE_OPTIONS: RunOptions = {
  runOnly: {
    type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
  },
  rules: { region: { enabled: false } },
};

/** What the injected axe-core script puts on the page's global object. */
interface AxeGlobal {
  run(context: ElementContext, options: RunOptions): Promise<AxeResults>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.vtt': 'text/vtt',
};

interface StoryEntry {
  id: string;
  type: 'story' | 'docs';
  title: string;
  name: string;
}

/** Serves the built Storybook on a random loopback port. */
async function serveStatic(): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(STATIC_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(STATIC_DIR)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Awaits every Lit element's pending update (through shadow roots), the fonts and a frame,
 * three times over: elements that render others (a list of cards) settle in rounds. A string,
 * not a function: tsx would wrap the function's inner helpers in a `__name` the page lacks.
 */
const SETTLE_SCRIPT = `(async () => {
  for (let round = 0; round < 3; round++) {
    const pending = [];
    const visit = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.updateComplete) pending.push(element.updateComplete);
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    await Promise.all(pending);
    await document.fonts.ready;
    await new Promise((frame) => requestAnimationFrame(frame));
  }
})()`;

/** Waits for the story's render (loaders, msw, play) and for every Lit element's update. */
async function waitForStory(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    () => {
      const phase = (
        globalThis as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } }
      ).__STORYBOOK_PREVIEW__?.currentRender?.phase;
      return phase && ['completed', 'finished', 'errored', 'aborted'].includes(phase)
        ? phase
        : false;
    },
    undefined,
    { timeout: RENDER_TIMEOUT_MS, polling: 50 },
  );
  const phase = (await handle.jsonValue()) as string;
  await page.evaluate(SETTLE_SCRIPT);
  return phase;
}

/**
 * A function that screenshots the story as the references are taken: its root (the page
 * when the root has no box, as a dialog's story), animations stopped, no caret, videos hidden.
 */
async function storyCamera(page: Page): Promise<() => Promise<Buffer>> {
  const root = page.locator('#storybook-root');
  const box = await root.boundingBox();
  const target = box && box.width > 0 && box.height > 0 ? root : page;
  return () => target.screenshot({ animations: 'disabled', caret: 'hide', style: HIDE_VIDEO });
}

/** Screenshots the story until two in a row are the same; returns the last. */
async function stableScreenshot(page: Page): Promise<Buffer> {
  const shoot = await storyCamera(page);
  // Past the first tick of anything that ticks every second (the broadcaster's on-air
  // timer): with the page's clock fixed, the story is then drawn as it stays.
  await page.waitForTimeout(FIRST_TICK_MS);
  const deadline = Date.now() + STABLE_TIMEOUT_MS;
  let previous = await shoot();
  for (;;) {
    await page.waitForTimeout(150);
    const next = await shoot();
    if (next.equals(previous)) return next;
    if (Date.now() > deadline) throw new Error('never drew the same twice in a row (animated?)');
    previous = next;
  }
}

/** How many pixels differ between a screenshot and its reference, with a diff image. */
function compare(
  actual: Buffer,
  expected: Buffer,
): { differing: number; total: number; diff?: PNG } {
  const a = PNG.sync.read(actual);
  const b = PNG.sync.read(expected);
  const total = Math.max(a.width * a.height, b.width * b.height);
  if (a.width !== b.width || a.height !== b.height) return { differing: total, total };
  const diff = new PNG({ width: a.width, height: a.height });
  const differing = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: 0.1 });
  return { differing, total, diff };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Compares a story's screenshot with its reference (or writes it, under `--update`). */
async function checkScreenshot(
  id: string,
  actual: Buffer,
  update: boolean,
): Promise<{ problems: string[]; drift?: number; updated: boolean }> {
  const reference = join(SCREENSHOTS_DIR, `${id}.png`);
  if (!(await exists(reference))) {
    if (update) {
      await writeFile(reference, actual);
      return { problems: [], updated: true };
    }
    return {
      problems: [`no screenshot at ${reference} (pnpm test:stories --update writes it)`],
      updated: false,
    };
  }
  const { differing, total, diff } = compare(actual, await readFile(reference));
  const drift = differing / total;
  // --update keeps every screenshot exact; the check allows a little drift.
  if (update && differing > 0) {
    await writeFile(reference, actual);
    return { problems: [], drift, updated: true };
  }
  if (drift <= MAX_DIFF_RATIO) return { problems: [], drift, updated: false };
  await writeFile(join(RESULTS_DIR, `${id}.actual.png`), actual);
  if (diff) await writeFile(join(RESULTS_DIR, `${id}.diff.png`), PNG.sync.write(diff));
  return {
    problems: [
      `screenshot differs in ${differing} of ${total} pixels (${(drift * 100).toFixed(2)} %, at most ${MAX_DIFF_RATIO * 100} %): see ${RESULTS_DIR}`,
    ],
    drift,
    updated: false,
  };
}

/**
 * Describes the focused element (through shadow roots) and marks it visited, or returns
 * null when focus is outside the story. A string for the same reason as SETTLE_SCRIPT.
 */
const FOCUSED_SCRIPT = `(() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  const root = document.querySelector('#storybook-root');
  let host = element;
  while (host && host !== root) host = host.parentNode instanceof ShadowRoot ? host.parentNode.host : host.parentNode;
  if (!element || !host) return null;
  const first = element.__onairTabbed === undefined;
  element.__onairTabbed = true;
  const name = element.getAttribute('aria-label') || element.textContent.trim().slice(0, 30);
  const part = element.getAttribute('part');
  return { first, what: element.localName + (part ? '[part=' + part + ']' : '') + (name ? ' "' + name + '"' : '') };
})()`;

/**
 * What a keyboard user could operate in the story but Tab never reached: enabled, visible
 * controls (through shadow roots) not marked by FOCUSED_SCRIPT. A radio counts as reached
 * when its group was (Tab stops once per group). While a modal dialog is open, only its own
 * controls count (the page behind it is inert).
 */
const UNREACHED_SCRIPT = `(() => {
  const CONTROLS = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const found = [];
  let modal = null;
  const findModal = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.matches(':modal')) modal = element;
      if (element.shadowRoot) findModal(element.shadowRoot);
    }
  };
  findModal(document);
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.matches(CONTROLS) && !element.__onairTabbed && !element.matches(':disabled') &&
          (!modal || modal.contains(element)) &&
          element.getAttribute('tabindex') !== '-1' && !element.closest('[inert]') &&
          element.checkVisibility({ visibilityProperty: true }) &&
          element.getBoundingClientRect().width > 0) {
        const group = element.type === 'radio' && element.name
          ? [...root.querySelectorAll('input[type=radio]')].filter((r) => r.name === element.name)
          : [];
        if (!group.some((r) => r.__onairTabbed)) {
          const part = element.getAttribute('part');
          const name = element.getAttribute('aria-label') || element.textContent.trim().slice(0, 30);
          found.push(element.localName + (part ? '[part=' + part + ']' : '') + (name ? ' "' + name + '"' : ''));
        }
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document.querySelector('#storybook-root'));
  return found;
})()`;

/** Blurs the focused element, through shadow roots. */
const BLUR_SCRIPT = `(() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  element?.blur();
})()`;

/** The most Tab presses a story gets: more stops than any story has. */
const MAX_TAB_STOPS = 60;

/**
 * Walks the story with Tab: every stop must draw a focus indicator (the screenshot with
 * focus there differs from the one without), and every control must be reached.
 */
async function checkKeyboard(page: Page, screenshot: Buffer): Promise<string[]> {
  const problems: string[] = [];
  const shoot = await storyCamera(page);
  // What the story focused itself (an opened form's field, a list it opened) is visited
  // already; from there the walk goes on past the story's end, round to its start. Each
  // stop is compared with the story without that first focus (its ring would make every
  // stop look different).
  const wrapping = (await page.evaluate(FOCUSED_SCRIPT)) !== null;
  let unfocused = screenshot;
  if (wrapping) {
    await page.evaluate(BLUR_SCRIPT);
    unfocused = await shoot();
  }
  let outside = 0;
  for (let stop = 0; stop < MAX_TAB_STOPS; stop++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(FOCUSED_SCRIPT)) as {
      first: boolean;
      what: string;
    } | null;
    // Out of the story: every stop was visited (once round, for a walk that began inside;
    // the page's end takes a Tab or two). A stop seen before is a field's inner part (a
    // date's month, day and year), or, once round, where the walk began.
    if (!focused) {
      if (!wrapping || ++outside > 3) break;
      continue;
    }
    if (outside && wrapping && !focused.first) break;
    if (!focused.first) continue;
    const { differing } = compare(await shoot(), unfocused);
    if (differing === 0) problems.push(`no visible focus on ${focused.what}`);
  }
  const unreached = (await page.evaluate(UNREACHED_SCRIPT)) as string[];
  for (const what of unreached) problems.push(`not reachable with Tab: ${what}`);
  return problems;
}

interface Outcome {
  id: string;
  problems: string[];
  updated?: boolean;
  /** The share of the screenshot's pixels that differed from the reference. */
  drift?: number | undefined;
}

async function checkStory(
  browser: Browser,
  origin: string,
  axeSource: string,
  story: StoryEntry,
  update: boolean,
): Promise<Outcome> {
  const problems: string[] = [];
  let drift: number | undefined;
  let updated = false;
  const context = await browser.newContext({
    viewport: { width: 1024, height: 768 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  try {
    await page.clock.setFixedTime(FIXED_NOW);
    await page.goto(`${origin}/iframe.html?id=${encodeURIComponent(story.id)}&viewMode=story`);
    const phase = await waitForStory(page);
    if (phase === 'errored' || phase === 'aborted') problems.push(`the story's render ${phase}`);

    await page.addScriptTag({ content: axeSource });
    // The injected script's global; only its types are imported here.
    const violations = await page.evaluate(
      async (options) =>
        (
          await (globalThis as unknown as { axe: AxeGlobal }).axe.run(
            { include: ['#storybook-root'] },
            options,
          )
        ).violations,
      AXE_OPTIONS,
    );
    for (const violation of violations) {
      const where = violation.nodes.map((node) => JSON.stringify(node.target)).join(', ');
      const why = violation.nodes[0]?.failureSummary?.split('\n').slice(1).join(' ').trim();
      problems.push(
        `axe ${violation.id} (${violation.impact}): ${violation.help} at ${where}${why ? ` (${why})` : ''}`,
      );
    }

    const actual = await stableScreenshot(page);
    const looks = await checkScreenshot(story.id, actual, update);
    problems.push(...looks.problems);
    drift = looks.drift;
    updated = looks.updated;

    problems.push(...(await checkKeyboard(page, actual)));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await context.close();
  }
  return { id: story.id, problems, drift, updated };
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({
    options: { update: { type: 'boolean', default: false }, filter: { type: 'string' } },
  });
  if (!(await exists(join(STATIC_DIR, 'index.json')))) {
    throw new Error('no storybook-static/index.json: run `pnpm storybook:build` first');
  }
  const index = JSON.parse(await readFile(join(STATIC_DIR, 'index.json'), 'utf8')) as {
    entries: Record<string, StoryEntry>;
  };
  const stories = Object.values(index.entries).filter(
    (entry) =>
      entry.type === 'story' &&
      (!values.filter || values.filter.split(',').some((part) => entry.id.includes(part))),
  );
  if (stories.length === 0) throw new Error('no story to test');

  const axeSource = await readFile(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await rm(RESULTS_DIR, { recursive: true, force: true });
  await mkdir(RESULTS_DIR, { recursive: true });

  const { server, origin } = await serveStatic();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const failed: Outcome[] = [];
  let updated = 0;
  let largestDrift = { id: '', drift: 0 };
  const started = Date.now();
  try {
    for (const story of stories) {
      const outcome = await checkStory(browser, origin, axeSource, story, values.update);
      if (outcome.updated) updated++;
      if ((outcome.drift ?? 0) > largestDrift.drift) {
        largestDrift = { id: story.id, drift: outcome.drift ?? 0 };
      }
      if (outcome.problems.length > 0) {
        failed.push(outcome);
        console.log(`✗ ${story.id}`);
        for (const problem of outcome.problems) console.log(`    ${problem}`);
      } else {
        console.log(`✓ ${story.id}${outcome.updated ? ' (screenshot written)' : ''}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  // A screenshot whose story is gone is stale: it would hide a renamed story's missing one.
  if (!values.filter) {
    const ids = new Set(stories.map((story) => story.id));
    for (const file of await readdir(SCREENSHOTS_DIR)) {
      if (file.endsWith('.png') && !ids.has(file.slice(0, -4))) {
        if (values.update) await rm(join(SCREENSHOTS_DIR, file));
        else failed.push({ id: file, problems: [`a screenshot of no story: ${file}`] });
      }
    }
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `\n${stories.length} stories in ${seconds} s: ${stories.length - failed.length} passed, ${failed.length} failed${values.update ? `, ${updated} screenshots written` : ''}`,
  );
  if (largestDrift.drift > 0) {
    console.log(
      `largest screenshot drift: ${(largestDrift.drift * 100).toFixed(3)} % of the pixels (${largestDrift.id})`,
    );
  }
  return failed.length === 0;
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

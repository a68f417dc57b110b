import { adoptStyles, render } from 'lit';
import { describe, expect, it } from 'vitest';
import { mount, picker } from '../test-support.js';
import { deviceMenu, deviceMenuStyles } from './device-menu.js';

/*
 * The picker's list in Chromium: where it opens for its button (the side
 * with room, as tall as that room and scrolling; its start edge on the
 * button's, right to left too), and what closes it.
 */

const cameras = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ deviceId: `cam${i}`, label: `Camera number ${i}` }));

/** A picker in a shadow root (as elements draw it), inside `container`, at `style`. */
function pickerIn(container: HTMLElement, style: string, count: number, current: string) {
  const host = document.createElement('div');
  host.style.cssText = style;
  container.append(host);
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, [deviceMenuStyles]);
  render(
    deviceMenu({
      id: 'cameras',
      label: 'Camera',
      devices: cameras(count),
      current,
      disabled: false,
      choose: () => {},
    }),
    root,
  );
  return picker(root, 'Camera');
}

/** Opens the list and waits for it to be placed (its current choice focused). */
async function opened(p: ReturnType<typeof picker>) {
  p.open.click();
  const root = p.list.getRootNode() as ShadowRoot;
  await expect.poll(() => root.activeElement?.getAttribute('aria-current')).toBe('true');
  return {
    at: p.open.getBoundingClientRect(),
    box: p.list.getBoundingClientRect(),
    focused: (root.activeElement as HTMLElement).getBoundingClientRect(),
  };
}

describe('a picker’s list', () => {
  it('opens on the roomier side, as tall as the room there, scrolling to the current choice', async () => {
    const container = mount('');
    try {
      // Near the bottom of the viewport, with sixty cameras: below has no room, above has most.
      const p = pickerIn(
        container,
        `position: fixed; top: ${innerHeight - 60}px; left: 10px`,
        60,
        'cam45',
      );
      const { at, box, focused } = await opened(p);
      expect(box.bottom).toBeLessThanOrEqual(at.top + 1);
      expect(box.top).toBeGreaterThanOrEqual(-1);
      expect(p.list.scrollHeight).toBeGreaterThan(p.list.clientHeight);
      // The current choice is focused where it can be seen.
      expect(focused.top).toBeGreaterThanOrEqual(box.top);
      expect(focused.bottom).toBeLessThanOrEqual(box.bottom);
      p.list.hidePopover();
      // Three cameras fit below a button at the top: below, at their own height.
      const few = pickerIn(container, 'position: fixed; top: 10px; left: 10px', 3, 'cam0');
      const small = await opened(few);
      expect(small.box.top).toBeGreaterThanOrEqual(small.at.bottom - 1);
      expect(few.list.scrollHeight).toBe(few.list.clientHeight);
      few.list.hidePopover();
    } finally {
      container.remove();
    }
  });

  it('lines up with its button’s start edge, the right one right to left', async () => {
    const container = mount('');
    try {
      const first = pickerIn(container, 'position: fixed; top: 10px; left: 200px', 3, 'cam1');
      const ltr = await opened(first);
      expect(Math.abs(ltr.box.left - ltr.at.left)).toBeLessThanOrEqual(1);
      first.list.hidePopover();
      container.dir = 'rtl';
      const second = pickerIn(container, 'position: fixed; top: 10px; right: 200px', 3, 'cam1');
      const rtl = await opened(second);
      expect(Math.abs(rtl.box.right - rtl.at.right)).toBeLessThanOrEqual(1);
      expect(rtl.box.right).toBeLessThanOrEqual(innerWidth);
      // Its button hidden (a control bar gone when the stream ends): closed.
      second.open.hidden = true;
      await expect.poll(() => second.list.matches(':popover-open')).toBe(false);
    } finally {
      container.remove();
    }
  });

  it('follows its button when a box holding it scrolls, in a shadow root too, and closes once it is out of view', async () => {
    const container = mount('');
    // A scrolling box inside a shadow root (an app shell's): its scroll events never reach the page.
    const shell = document.createElement('div');
    container.append(shell);
    const box = document.createElement('div');
    box.style.cssText = 'height: 200px; overflow: auto';
    shell.attachShadow({ mode: 'open' }).append(box);
    try {
      // At the end of its line, as the player's quality button: a longer label moves its start.
      // Sixty cameras: as tall as the room below, scrolling.
      const p = pickerIn(box, 'margin: 100px 0 600px; text-align: end', 60, 'cam0');
      const first = await opened(p);
      expect(p.list.scrollHeight).toBeGreaterThan(p.list.clientHeight);
      // Scrolled within the list, which keeps its scroll when it is placed anew.
      p.list.scrollTop = 20;
      box.scrollTop = 50;
      await expect
        .poll(() => p.list.getBoundingClientRect().top)
        .toBeCloseTo(first.box.top - 50, 0);
      expect(p.list.matches(':popover-open')).toBe(true);
      expect(p.list.scrollTop).toBe(20);
      // It moves along its line (the player's "Auto (1080p)" growing): placed anew, still open.
      const left = p.open.getBoundingClientRect().left;
      p.open.style.marginInlineEnd = '40px';
      expect(p.open.getBoundingClientRect().left).toBeLessThan(left - 30);
      await expect
        .poll(() => p.list.getBoundingClientRect().left)
        .toBeCloseTo(p.open.getBoundingClientRect().left, 0);
      expect(p.list.matches(':popover-open')).toBe(true);
      // Scrolled out of the viewport: closed.
      box.scrollTop = 500;
      await expect.poll(() => p.list.matches(':popover-open')).toBe(false);
    } finally {
      container.remove();
    }
  });

  it('closes once its button is scrolled out of a box holding it, the box still in the window', async () => {
    const container = mount('');
    const box = document.createElement('div');
    box.style.cssText =
      'position: fixed; top: 200px; left: 0; width: 300px; height: 150px; overflow: auto';
    container.append(box);
    try {
      const p = pickerIn(box, 'margin: 40px 0 400px', 3, 'cam0');
      await opened(p);
      // Scrolled a little: still in the box, open.
      box.scrollTop = 20;
      await expect
        .poll(() => p.list.getBoundingClientRect().top)
        .toBeCloseTo(p.open.getBoundingClientRect().bottom, 0);
      expect(p.list.matches(':popover-open')).toBe(true);
      // Scrolled out of the box's top, which is still well inside the window: closed, not drawn
      // over the box's edge.
      box.scrollTop = 100;
      expect(p.open.getBoundingClientRect().bottom).toBeGreaterThan(100);
      await expect.poll(() => p.list.matches(':popover-open')).toBe(false);
    } finally {
      container.remove();
    }
  });
});

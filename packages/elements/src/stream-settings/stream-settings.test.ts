import { afterEach, describe, expect, it } from 'vitest';
import { chooseFiles, createStream, mount, pngFile, signedInClient } from '../test-support.js';
import './onair-stream-settings.js';
import type { OnAirStreamSettingsElement } from './stream-settings.component.js';

afterEach(() => {
  document.body.innerHTML = '';
});

const field = (el: OnAirStreamSettingsElement, name: string) =>
  el.shadowRoot?.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement;
const button = (el: OnAirStreamSettingsElement, label: string) =>
  [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent?.trim() === label,
  ) as HTMLButtonElement;

async function mounted(clientName: string, streamOwnerName?: string) {
  const client = await signedInClient(clientName);
  const owner = streamOwnerName ? await signedInClient(streamOwnerName) : client;
  const stream = await createStream(owner, false);
  const el = mount('<onair-stream-settings no-confirm></onair-stream-settings>').querySelector(
    'onair-stream-settings',
  ) as OnAirStreamSettingsElement;
  el.client = client;
  el.streamId = stream.id;
  await expect.poll(() => field(el, 'title')?.value, { timeout: 10_000 }).toBe('Element test');
  return { el, client, owner, stream };
}

describe('<onair-stream-settings>', () => {
  it('asks in its own dialog before cancelling a stream, never with window.confirm', async () => {
    const client = await signedInClient('Confirming owner');
    const stream = await createStream(client, false);
    const el = mount('<onair-stream-settings></onair-stream-settings>').querySelector(
      'onair-stream-settings',
    ) as OnAirStreamSettingsElement;
    el.client = client;
    el.streamId = stream.id;
    await expect.poll(() => field(el, 'title')?.value, { timeout: 10_000 }).toBe('Element test');
    const nativeConfirm = globalThis.confirm;
    let nativeAsked = 0;
    globalThis.confirm = () => {
      nativeAsked++;
      return true;
    };
    try {
      const dialog = () => el.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
      button(el, 'Cancel stream').click();
      await expect.poll(() => dialog().open).toBe(true);
      expect(dialog().querySelector('h2')?.textContent).toBe('Cancel this scheduled stream?');
      expect(el.shadowRoot?.activeElement?.textContent).toBe('Not now');
      // In the element's palette: light in a light form, dark in a dark one.
      expect(getComputedStyle(dialog()).backgroundColor).toBe('rgb(255, 255, 255)');
      el.setAttribute('theme', 'dark');
      expect(getComputedStyle(dialog()).backgroundColor).toBe('rgb(34, 34, 34)');
      el.removeAttribute('theme');
      (dialog().querySelector('button[value="cancel"]') as HTMLButtonElement).click();
      await expect.poll(() => dialog().open).toBe(false);
      expect((await client.streams.get(stream.id)).status).toBe('scheduled');

      button(el, 'Cancel stream').click();
      await expect.poll(() => dialog().open).toBe(true);
      (dialog().querySelector('button[value="confirm"]') as HTMLButtonElement).click();
      await expect.poll(async () => (await client.streams.get(stream.id)).status).toBe('cancelled');
      expect(nativeAsked).toBe(0);
    } finally {
      globalThis.confirm = nativeConfirm;
    }
  });

  it('saves only what changed, rotates the key and cancels', async () => {
    const { el, client, stream } = await mounted('Owner');
    field(el, 'title').value = 'Better title';
    field(el, 'chatMode').value = 'subscribers';
    const saved = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('onair-stream-saved', (e) => resolve(e as CustomEvent), { once: true }),
    );
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    expect((await saved).detail.stream).toMatchObject({
      title: 'Better title',
      chat: { mode: 'subscribers' },
    });
    expect(await client.streams.get(stream.id)).toMatchObject({
      title: 'Better title',
      privacy: 'public',
    });

    button(el, 'Rotate stream key').click();
    await expect
      .poll(
        () =>
          (el.shadowRoot?.querySelector('[part="key"] input') as HTMLInputElement | null)?.value,
      )
      .toMatch(/^onair_sk_/);

    button(el, 'Cancel stream').click();
    await expect.poll(async () => (await client.streams.get(stream.id)).status).toBe('cancelled');
    await expect
      .poll(
        () =>
          ((el.shadowRoot as ShadowRoot).querySelector('fieldset') as HTMLFieldSetElement).disabled,
      )
      .toBe(true);
  });

  it('uploads a chosen thumbnail with the other changes (#21 item 6)', async () => {
    const { el, client, stream } = await mounted('Thumbnail owner');
    field(el, 'title').value = 'With a picture';
    chooseFiles(field(el, 'thumbnail') as HTMLInputElement, [await pngFile()]);
    const saved = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('onair-stream-saved', (e) => resolve(e as CustomEvent), { once: true }),
    );
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    const { detail } = await saved;
    expect(detail.stream.title).toBe('With a picture');
    expect(detail.stream.thumbnailUrl).toMatch(
      new RegExp(`^/thumbnails/${stream.id}/[\\w-]{12}\\.jpg$`),
    );
    const image = await fetch(client.resolveUrl(detail.stream.thumbnailUrl));
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    // Not an image: the server's typed refusal shows, nothing else changes.
    chooseFiles(field(el, 'thumbnail') as HTMLInputElement, [
      new File(['<svg/>'], 'fake.png', { type: 'image/png' }),
    ]);
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    await expect
      .poll(() => el.shadowRoot?.querySelector('[role="alert"]')?.getAttribute('data-code'))
      .toBe('UNPROCESSABLE');
    expect((await client.streams.get(stream.id)).thumbnailUrl).toBe(detail.stream.thumbnailUrl);
  });

  it('shows the typed error and keeps the stored values when someone else tries to edit', async () => {
    const { el, owner, stream } = await mounted('Intruder', 'RealOwner');
    field(el, 'title').value = 'Hijacked';
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    await expect
      .poll(() => el.shadowRoot?.querySelector('[role="alert"]')?.getAttribute('data-code'))
      .toBe('FORBIDDEN');
    expect((await owner.streams.get(stream.id)).title).toBe('Element test');
  });
});

describe('<onair-stream-settings> minimum tier', () => {
  const pick = async (el: OnAirStreamSettingsElement, privacy: string) => {
    field(el, 'privacy').value = privacy;
    field(el, 'privacy').dispatchEvent(new Event('change'));
    await el.updateComplete;
  };
  const save = (el: OnAirStreamSettingsElement) => {
    const saved = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('onair-stream-saved', (e) => resolve(e as CustomEvent), { once: true }),
    );
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    return saved;
  };

  it("shows a subscribers stream's minimum tier and updates it", async () => {
    const client = await signedInClient('Tiered owner');
    const { stream } = await client.streams.create({
      title: 'Tier two',
      privacy: 'subscribers',
      minTier: 2,
    });
    const el = mount('<onair-stream-settings></onair-stream-settings>').querySelector(
      'onair-stream-settings',
    ) as OnAirStreamSettingsElement;
    el.client = client;
    el.streamId = stream.id;
    await expect.poll(() => field(el, 'minTier')?.value, { timeout: 10_000 }).toBe('2');
    expect(field(el, 'minTier').closest('label')?.textContent?.trim()).toBe('Minimum tier');
    field(el, 'minTier').value = '3';
    expect((await save(el)).detail.stream).toMatchObject({ privacy: 'subscribers', minTier: 3 });
    expect((await client.streams.get(stream.id)).minTier).toBe(3);
    for (const privacy of ['public', 'unlisted', 'followers', 'private']) {
      await pick(el, privacy);
      expect(field(el, 'minTier'), privacy).toBeNull();
    }
    await pick(el, 'subscribers');
    expect(field(el, 'minTier').value).toBe('3');
    client.destroy();
  });

  it('asks for the tier once a stream is made for subscribers', async () => {
    const { el, client, stream } = await mounted('Turning owner');
    expect(field(el, 'minTier')).toBeNull();
    await pick(el, 'subscribers');
    expect(field(el, 'minTier').value).toBe('1');
    field(el, 'minTier').value = '2';
    expect((await save(el)).detail.stream).toMatchObject({ privacy: 'subscribers', minTier: 2 });
    expect(await client.streams.get(stream.id)).toMatchObject({
      privacy: 'subscribers',
      minTier: 2,
    });
    client.destroy();
  });
});

describe('<onair-stream-settings> invites', () => {
  it('edits the invite list of a private stream', async () => {
    const { el, client, stream } = await mounted('Private owner');
    field(el, 'privacy').value = 'private';
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    await expect.poll(() => field(el, 'invites') !== null, { timeout: 10_000 }).toBe(true);
    field(el, 'invites').value = 'usr_alice\nusr_bob, usr_alice';
    ((el.shadowRoot as ShadowRoot).querySelector('form') as HTMLFormElement).requestSubmit();
    await expect
      .poll(() => client.streams.invites(stream.id), { timeout: 10_000 })
      .toEqual(['usr_alice', 'usr_bob']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { mount, signedInClient } from '../test-support.js';
import './onair-qna.js';
import type { OnAirQnaElement } from './qna.component.js';

const shadow = (el: OnAirQnaElement) => el.shadowRoot as ShadowRoot;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('<onair-qna>', () => {
  it('asks, upvotes once, and lets the host answer and hide', async () => {
    const host = await signedInClient('Teacher');
    const { stream } = await host.streams.create({ title: 'Class', qnaEnabled: true });
    await host.streams.start(stream.id);
    const student = await signedInClient('Student');
    const [hostQna, studentQna] = [
      '<onair-qna can-moderate></onair-qna>',
      '<onair-qna></onair-qna>',
    ].map((html) => mount(html).querySelector('onair-qna') as OnAirQnaElement) as [
      OnAirQnaElement,
      OnAirQnaElement,
    ];
    hostQna.client = host;
    studentQna.client = student;
    hostQna.streamId = studentQna.streamId = stream.id;
    await expect.poll(() => studentQna.dataset.status, { timeout: 10_000 }).toBe('ready');

    const input = shadow(studentQna).querySelector('input') as HTMLInputElement;
    input.value = 'Will slides be shared?';
    const asked = new Promise<CustomEvent>((resolve) =>
      studentQna.addEventListener('onair-question-asked', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    (shadow(studentQna).querySelector('form') as HTMLFormElement).requestSubmit();
    const id = (await asked).detail.question.id;
    const row = (el: OnAirQnaElement) => shadow(el).querySelector(`li[data-id="${id}"]`);
    await expect
      .poll(() => row(hostQna)?.querySelector('.text')?.textContent)
      .toBe('Will slides be shared?');

    (row(studentQna)?.querySelector('.vote') as HTMLButtonElement | null)?.click();
    await expect.poll(() => row(hostQna)?.querySelector('.count')?.textContent).toBe('1');
    expect(row(studentQna)?.querySelector('.vote')?.getAttribute('aria-pressed')).toBe('true');
    expect((row(studentQna)?.querySelector('.vote') as HTMLButtonElement | null)?.disabled).toBe(
      true,
    );
    expect(row(studentQna)?.querySelector('[data-action]')).toBeNull();

    (row(hostQna)?.querySelector('[data-action="answer"]') as HTMLButtonElement | null)?.click();
    await expect.poll(() => row(studentQna)?.hasAttribute('data-answered')).toBe(true);
    (row(hostQna)?.querySelector('[data-action="hide"]') as HTMLButtonElement | null)?.click();
    await expect.poll(() => row(studentQna)).toBeNull();
    expect(shadow(studentQna).querySelector('.empty')?.textContent).toBe('No questions yet');
  });
});

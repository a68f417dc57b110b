import { afterEach, describe, expect, it } from 'vitest';
import { mount, signedInClient } from '../test-support.js';
import './onair-qna.js';
import type { OnAirQnaElement } from './qna.component.js';
import '../qna-highlight/onair-qna-highlight.js';
import type { OnAirQnaHighlightElement } from '../qna-highlight/qna-highlight.component.js';

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

  it('puts a question on air over the player and answers it in writing', async () => {
    const host = await signedInClient('Lecturer');
    const { stream } = await host.streams.create({ title: 'Office hours', qnaEnabled: true });
    await host.streams.start(stream.id);
    const student = await signedInClient('Pupil');
    const page = mount(`
      <onair-qna can-moderate></onair-qna>
      <onair-qna></onair-qna>
      <div style="position: relative; width: 480px; height: 270px">
        <onair-qna-highlight></onair-qna-highlight>
      </div>`);
    const [hostQna, studentQna] = [...page.querySelectorAll('onair-qna')] as OnAirQnaElement[];
    const highlight = page.querySelector('onair-qna-highlight') as OnAirQnaHighlightElement;
    (hostQna as OnAirQnaElement).client = host;
    for (const el of [studentQna, highlight] as Array<{ client: unknown }>) el.client = student;
    for (const el of [hostQna, studentQna, highlight] as Array<{ streamId: string }>) {
      el.streamId = stream.id;
    }
    await expect.poll(() => studentQna?.dataset.status, { timeout: 10_000 }).toBe('ready');
    const asked = new Promise<CustomEvent>((resolve) =>
      studentQna?.addEventListener('onair-question-asked', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    const input = shadow(studentQna as OnAirQnaElement).querySelector('input') as HTMLInputElement;
    input.value = 'Is the exam open book?';
    (
      shadow(studentQna as OnAirQnaElement).querySelector('form') as HTMLFormElement
    ).requestSubmit();
    const id = (await asked).detail.question.id;
    const row = (el: OnAirQnaElement | undefined) =>
      shadow(el as OnAirQnaElement).querySelector(`li[data-id="${id}"]`);
    const action = (name: string) =>
      row(hostQna)?.querySelector(`[data-action="${name}"]`) as HTMLButtonElement;
    await expect.poll(() => row(hostQna)).not.toBeNull();
    expect(highlight.hasAttribute('data-empty')).toBe(true);

    // On air: the student's list highlights it and the overlay shows it.
    action('on-air').click();
    await expect.poll(() => row(studentQna)?.hasAttribute('data-answering')).toBe(true);
    expect(row(studentQna)?.querySelector('.badge')?.textContent).toBe('Answering now');
    await expect
      .poll(() => highlight.shadowRoot?.querySelector('[part="card"]')?.textContent)
      .toBe('Answering nowIs the exam open book? — Pupil');
    expect(highlight.hasAttribute('data-empty')).toBe(false);
    expect(action('on-air').getAttribute('aria-pressed')).toBe('true');
    const card = highlight.shadowRoot?.querySelector('[part="card"]') as HTMLElement;
    expect(card.getBoundingClientRect().height).toBeGreaterThan(20);

    // A written answer: everyone reads it with who answered; it goes off air.
    action('write').click();
    await expect.poll(() => row(hostQna)?.querySelector('form.reply')).not.toBeNull();
    const reply = row(hostQna)?.querySelector('form.reply') as HTMLFormElement;
    (reply.elements.namedItem('answer') as HTMLTextAreaElement).value = 'Yes, one sheet of notes.';
    reply.requestSubmit();
    await expect
      .poll(() => row(studentQna)?.querySelector('[part="answer"]')?.textContent)
      .toBe('Lecturer Yes, one sheet of notes.');
    expect(row(studentQna)?.hasAttribute('data-answering')).toBe(false);
    expect(row(studentQna)?.hasAttribute('data-answered')).toBe(true);
    await expect.poll(() => highlight.hasAttribute('data-empty')).toBe(true);
    expect(row(hostQna)?.querySelector('form.reply')).toBeNull();
    // Viewers get no moderator actions.
    expect(row(studentQna)?.querySelector('[data-action]')).toBeNull();
  });
});

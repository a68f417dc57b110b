import type { QuestionState } from '@onair/core';
import type { Question, QuestionSort } from '@onair/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { mount, signedInClient } from '../test-support.js';
import './onair-qna.js';
import type { OnAirQnaElement } from './qna.component.js';
import '../qna-highlight/onair-qna-highlight.js';
import type { OnAirQnaHighlightElement } from '../qna-highlight/qna-highlight.component.js';

const shadow = (el: OnAirQnaElement) => el.shadowRoot as ShadowRoot;
/** What the live region says. */
const said = (el: OnAirQnaElement | undefined) =>
  shadow(el as OnAirQnaElement).querySelector('.live[role="status"]')?.textContent;

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
    // The host's list too: a question in its first list would not be news.
    await expect.poll(() => hostQna?.dataset.status, { timeout: 10_000 }).toBe('ready');
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
    // Screen readers: the host hears of the question, its asker does not.
    await expect.poll(() => said(hostQna)).toBe('New question from Pupil');
    expect(said(studentQna)).toBe('');

    // On air: the student's list highlights it and the overlay shows it.
    action('on-air').click();
    await expect.poll(() => said(studentQna)).toBe('Answering now: Is the exam open book?');
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
    expect(said(studentQna)).toBe('Answered: Is the exam open book?');
    await expect.poll(() => highlight.hasAttribute('data-empty')).toBe(true);
    expect(row(hostQna)?.querySelector('form.reply')).toBeNull();
    // Written again: the form starts from the answer given.
    action('write').click();
    await expect.poll(() => row(hostQna)?.querySelector('form.reply')).not.toBeNull();
    const again = row(hostQna)?.querySelector('form.reply') as HTMLFormElement;
    expect((again.elements.namedItem('answer') as HTMLTextAreaElement).value).toBe(
      'Yes, one sheet of notes.',
    );
    action('write').click();
    // Viewers get no moderator actions.
    expect(row(studentQna)?.querySelector('[data-action]')).toBeNull();
  });
});

describe('<onair-qna> for screen readers and the keyboard', () => {
  const question = (id: string, text: string, patch: Partial<Question> = {}): Question => ({
    id,
    streamId: 'str_1',
    author: { id: `usr_${id}`, displayName: `Author ${id}` },
    text,
    upvotes: 0,
    answered: false,
    hidden: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, Number(id.replace(/\D/g, '')))).toISOString(),
    ...patch,
  });
  const order = (questions: readonly Question[], sort: QuestionSort) =>
    [...questions].sort((a, b) =>
      sort === 'votes'
        ? b.upvotes - a.upvotes || a.createdAt.localeCompare(b.createdAt)
        : b.createdAt.localeCompare(a.createdAt),
    );
  /** A store like the core's: sorted lists, a question listed before `ask` resolves. */
  function mockStore(questions: Question[]) {
    let state: QuestionState = {
      status: 'loading',
      questions: [],
      myUpvotes: [],
      sort: 'votes',
      answering: null,
      closed: false,
      error: null,
    };
    const listeners = new Set<(s: QuestionState) => void>();
    const store = {
      subscribe(listener: (s: QuestionState) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      getSnapshot: () => state,
      set(next: Partial<QuestionState>) {
        state = { ...state, ...next };
        for (const l of listeners) l(state);
      },
      /** Replaces a question (or adds one) and re-sorts, as a live update does. */
      put(q: Question) {
        store.set({
          questions: order([...state.questions.filter((o) => o.id !== q.id), q], state.sort),
        });
      },
      load() {
        store.set({ status: 'ready', questions: order(questions, state.sort) });
      },
      async ask(text: string) {
        const q = question('q99', text, {
          author: { id: 'usr_me', displayName: 'Me' },
        });
        store.put(q);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return q;
      },
      upvote: async () => question('q1', ''),
      answer: async () => question('q1', ''),
      hide: async () => {},
      setSort(sort: QuestionSort) {
        store.set({ sort, questions: order(state.questions, sort) });
      },
    };
    return store;
  }
  const seed = () => [
    question('q1', 'First?', { upvotes: 1 }),
    question('q2', 'Second?', { upvotes: 5 }),
    question('q3', 'Third?', { upvotes: 3 }),
  ];
  const ids = (el: OnAirQnaElement) =>
    [...shadow(el).querySelectorAll('li[data-id]')].map((li) => li.getAttribute('data-id'));

  it('announces a question on air, one answered and one someone else asked, and nothing else', async () => {
    const store = mockStore(seed());
    const qna = mount('<onair-qna></onair-qna>').querySelector('onair-qna') as OnAirQnaElement;
    await qna.updateComplete;
    // There from the first render (screen readers register it), silent.
    const region = shadow(qna).querySelector('.live') as HTMLElement;
    expect(region.getAttribute('role')).toBe('status');
    expect(said(qna)).toBe('');
    qna.store = store;
    await qna.updateComplete;
    store.load();
    await expect.poll(() => ids(qna)).toEqual(['q2', 'q3', 'q1']);
    expect(said(qna)).toBe('');
    expect(shadow(qna).querySelector('.live')).toBe(region);

    // A re-sort, a reload with the same questions, a vote: nothing to say.
    store.setSort('recent');
    await expect.poll(() => ids(qna)).toEqual(['q3', 'q2', 'q1']);
    store.load();
    await qna.updateComplete;
    store.put(question('q1', 'First?', { upvotes: 9 }));
    await expect
      .poll(() => shadow(qna).querySelector('li[data-id="q1"] .count')?.textContent)
      .toBe('9');
    expect(said(qna)).toBe('');

    // The viewer's own question: nothing either.
    (shadow(qna).querySelector('input') as HTMLInputElement).value = 'Mine?';
    const asked = new Promise((resolve) =>
      qna.addEventListener('onair-question-asked', resolve, { once: true }),
    );
    (shadow(qna).querySelector('form') as HTMLFormElement).requestSubmit();
    await asked;
    await qna.updateComplete;
    expect(ids(qna)).toContain('q99');
    expect(said(qna)).toBe('');

    store.put(question('q2', 'Second?', { upvotes: 5, answering: true }));
    await expect.poll(() => said(qna)).toBe('Answering now: Second?');
    store.put(question('q2', 'Second?', { upvotes: 5, answered: true }));
    await expect.poll(() => said(qna)).toBe('Answered: Second?');
    store.put(question('q7', 'Seventh?'));
    await expect.poll(() => said(qna)).toBe('New question from Author q7');
    // The same words again are a new announcement (a new node in the region).
    const first = region.firstElementChild;
    store.put(question('q8', 'Eighth?', { author: { id: 'usr_q7', displayName: 'Author q7' } }));
    await expect.poll(() => region.firstElementChild).not.toBe(first);
    expect(said(qna)).toBe('New question from Author q7');
  });

  it('sorts with tabs: arrow keys, Home and End select and focus them', async () => {
    const store = mockStore(seed());
    store.load();
    const qna = mount('<onair-qna></onair-qna>').querySelector('onair-qna') as OnAirQnaElement;
    qna.store = store;
    await qna.updateComplete;
    const root = shadow(qna);
    const tablist = root.querySelector('[role="tablist"]') as HTMLElement;
    const tabs = [...tablist.querySelectorAll('[role="tab"]')] as HTMLButtonElement[];
    const [top, newest] = tabs as [HTMLButtonElement, HTMLButtonElement];
    expect(tabs.map((t) => t.textContent)).toEqual(['Top', 'Newest']);
    expect(tablist.getAttribute('aria-label')).toBe('Sort questions');
    const state = () =>
      tabs.map((t) => [t.getAttribute('aria-selected'), t.getAttribute('tabindex')].join(' '));
    expect(state()).toEqual(['true 0', 'false -1']);
    const panel = root.querySelector('[role="tabpanel"]') as HTMLElement;
    expect(panel.querySelector('ol[part="list"]')).not.toBeNull();
    expect(tabs.map((t) => t.getAttribute('aria-controls'))).toEqual([panel.id, panel.id]);
    expect(panel.getAttribute('aria-labelledby')).toBe(top.id);
    expect(ids(qna)).toEqual(['q2', 'q3', 'q1']);

    top.focus();
    await userEvent.keyboard('{ArrowRight}');
    await expect.poll(state).toEqual(['false -1', 'true 0']);
    expect(root.activeElement).toBe(newest);
    expect(ids(qna)).toEqual(['q3', 'q2', 'q1']);
    expect(panel.getAttribute('aria-labelledby')).toBe(newest.id);
    await userEvent.keyboard('{ArrowRight}'); // wraps round
    await expect.poll(state).toEqual(['true 0', 'false -1']);
    expect(root.activeElement).toBe(top);
    await userEvent.keyboard('{End}');
    await expect.poll(state).toEqual(['false -1', 'true 0']);
    expect(root.activeElement).toBe(newest);
    await userEvent.keyboard('{Home}');
    await expect.poll(state).toEqual(['true 0', 'false -1']);
    expect(root.activeElement).toBe(top);
    expect(ids(qna)).toEqual(['q2', 'q3', 'q1']);
    await userEvent.keyboard('{ArrowLeft}');
    await expect.poll(state).toEqual(['false -1', 'true 0']);
    expect(root.activeElement).toBe(newest);
  });
});

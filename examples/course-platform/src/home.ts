import type { AppUser, Lesson, LessonState } from '../shared/api.js';
import { AppError, api } from './api.js';
import './style.css';
import { byId, guarded, showError } from './ui.js';

/** How often the lesson list is read again, so lessons going live or ending show up. */
const REFRESH_MS = 3000;

/** The list of each state; `unknown` (OnAir could not say) is "Unavailable right now". */
const LISTS: Record<LessonState, string> = {
  live: 'live-lessons',
  upcoming: 'upcoming-lessons',
  past: 'past-lessons',
  unknown: 'unavailable-lessons',
};

/** A lesson's link to its page. */
function lessonLink(lesson: Lesson): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.lessonId = lesson.id;
  const link = document.createElement('a');
  link.href = `/lesson.html?id=${encodeURIComponent(lesson.id)}`;
  link.textContent = lesson.title;
  item.append(link);
  if (lesson.state === 'past') {
    item.dataset.recording = String(lesson.hasRecording);
    item.append(lesson.hasRecording ? ' · replay' : ' · replay not ready yet');
  }
  return item;
}

/** Puts each lesson in its list: live now, coming up, past, and unavailable (only when some are). */
function renderLessons(lessons: Lesson[]): void {
  for (const [state, id] of Object.entries(LISTS)) {
    const items = lessons.filter((lesson) => lesson.state === state).map(lessonLink);
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'None';
      items.push(empty);
    }
    byId(id).replaceChildren(...items);
  }
  byId('unavailable').hidden = !lessons.some((lesson) => lesson.state === 'unknown');
}

/** The sign-in choices: one button per user. */
async function showSignIn(): Promise<void> {
  byId('lessons').hidden = true;
  byId('account').hidden = true;
  const users = await api.users();
  byId('user-list').replaceChildren(
    ...users.map((user) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${user.name} (${user.role})`;
      button.addEventListener('click', () =>
        guarded(async () => {
          await showHome(await api.signIn(user.id));
        }),
      );
      item.append(button);
      return item;
    }),
  );
  byId('sign-in').hidden = false;
}

let refresh: ReturnType<typeof setInterval> | undefined;
/** Whether a read of the lessons is under way (a tick never starts a second one). */
let reading = false;

function stopRefresh(): void {
  clearInterval(refresh);
  refresh = undefined;
}

/** Reads the lessons again; a signed-out session stops the refresh and goes back to sign-in. */
async function refreshLessons(): Promise<void> {
  if (reading) return;
  reading = true;
  try {
    renderLessons(await api.lessons());
  } catch (error) {
    if (!(error instanceof AppError && error.status === 401)) throw error;
    stopRefresh();
    await showSignIn();
    showError(error);
  } finally {
    reading = false;
  }
}

/** The signed-in home: who you are, the lessons, and for teachers the new-lesson form. */
async function showHome(user: AppUser): Promise<void> {
  showError(null);
  byId('sign-in').hidden = true;
  byId('me-name').textContent = `${user.name} (${user.role})`;
  byId('account').hidden = false;
  byId('new-lesson').hidden = user.role !== 'teacher';
  byId('lessons').hidden = false;
  renderLessons(await api.lessons());
  stopRefresh();
  refresh = setInterval(() => void guarded(refreshLessons), REFRESH_MS);
}

byId<HTMLFormElement>('new-lesson').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  // One lesson per click: the button stays disabled until the request fails or the page changes.
  if (submit?.disabled) return;
  if (submit) submit.disabled = true;
  const title = String(new FormData(form).get('title') ?? '');
  void guarded(async () => {
    try {
      const lesson = await api.createLesson(title);
      location.assign(`/lesson.html?id=${encodeURIComponent(lesson.id)}`);
    } catch (error) {
      if (submit) submit.disabled = false;
      throw error;
    }
  });
});

byId('sign-out').addEventListener('click', () =>
  guarded(async () => {
    stopRefresh();
    await api.signOut();
    await showSignIn();
  }),
);

void guarded(async () => {
  const user = await api.me();
  await (user ? showHome(user) : showSignIn());
});

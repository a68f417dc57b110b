/**
 * The strings of `<onair-chat-replay>` and `<onair-chapter-button>`, in
 * English and Spanish, kept out of the main catalog (`internal/i18n.ts`) and
 * of `translations/es` so that only the pages with a replay carry them (the
 * CDN build's `chat-replay.js`, not its `onair.js`). A language registered with
 * `registerTranslation` names them `replay.` and the key (`replay.chapters`)
 * and wins over these.
 */
const en = {
  title: 'Chat replay',
  chapters: 'Chapters',
  loading: 'Loading the chat…',
  empty: 'No chat yet at this point of the replay',
  noRecording: 'This stream has no recording',
  question: 'Question',
  answered: 'Answered',
  reactions: 'Reactions this minute',
  jumpToLatest: 'Jump to latest',
  addChapter: 'Add chapter',
  chapterTitle: 'Chapter title',
  add: 'Add',
  cancel: 'Cancel',
  adding: 'Adding…',
  added: 'Chapter added: {title}',
  forbidden: "Only the stream's owner and moderators can add chapters",
  notLive: 'Chapters are added while the stream is live',
  signIn: 'Sign in to add chapters',
} as const;

/** Keys of the replay strings. */
export type ReplayMessageKey = keyof typeof en;

/**
 * Every replay string in another language, keyed as `registerTranslation`
 * takes them: `replay.` and the key (`replay.addChapter`).
 */
export type ReplayMessages = Record<`replay.${ReplayMessageKey}`, string>;

/** The English strings: where no registered language has one (and no built-in Spanish applies). */
export const REPLAY_MESSAGES: Readonly<Record<ReplayMessageKey, string>> = en;

/** The built-in Spanish strings, for `es` and its variants. */
export const REPLAY_MESSAGES_ES: Readonly<Record<ReplayMessageKey, string>> = {
  title: 'Repetición del chat',
  chapters: 'Capítulos',
  loading: 'Cargando el chat…',
  empty: 'Aún no hay mensajes en este punto de la repetición',
  noRecording: 'Esta emisión no tiene grabación',
  question: 'Pregunta',
  answered: 'Respondida',
  reactions: 'Reacciones de este minuto',
  jumpToLatest: 'Ir a lo último',
  addChapter: 'Añadir capítulo',
  chapterTitle: 'Título del capítulo',
  add: 'Añadir',
  cancel: 'Cancelar',
  adding: 'Añadiendo…',
  added: 'Capítulo añadido: {title}',
  forbidden: 'Solo el dueño de la emisión y sus moderadores pueden añadir capítulos',
  notLive: 'Los capítulos se añaden mientras la emisión está en directo',
  signIn: 'Inicia sesión para añadir capítulos',
};

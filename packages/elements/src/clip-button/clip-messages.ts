/**
 * The strings of `<onair-clip-button>`, in English and Spanish, kept out of
 * the main catalog (`internal/i18n.ts`) and of `translations/es` so that only
 * the pages with the button carry them (the CDN build's too: its
 * `clip-button.js`, not its `onair.js`). A language registered with `registerTranslation`
 * names them `clips.` and the key (`clips.clip`) and wins over these.
 */
const en = {
  clip: 'Clip',
  clipLast: 'Clip the last {seconds} seconds',
  clipping: 'Clipping…',
  ready: 'Clip ready',
  seconds: '{seconds} s',
  open: 'Open clip',
  copy: 'Copy link',
  copied: 'Link copied',
  copyFailed: 'The link could not be copied',
  rateLimited: 'Too many clips: try again in a minute',
  notLive: 'Nothing to clip: this stream is not live',
  signIn: 'Sign in to make clips',
} as const;

/** Keys of the clip button's strings. */
export type ClipMessageKey = keyof typeof en;

/**
 * Every clip button string in another language, keyed as
 * `registerTranslation` takes them: `clips.` and the key (`clips.open`).
 */
export type ClipMessages = Record<`clips.${ClipMessageKey}`, string>;

/** The English strings: where no registered language has one (and no built-in Spanish applies). */
export const CLIP_MESSAGES: Readonly<Record<ClipMessageKey, string>> = en;

/** The built-in Spanish strings, for `es` and its variants. */
export const CLIP_MESSAGES_ES: Readonly<Record<ClipMessageKey, string>> = {
  clip: 'Clip',
  clipLast: 'Hacer un clip de los últimos {seconds} segundos',
  clipping: 'Creando el clip…',
  ready: 'Clip listo',
  seconds: '{seconds} s',
  open: 'Abrir el clip',
  copy: 'Copiar enlace',
  copied: 'Enlace copiado',
  copyFailed: 'No se pudo copiar el enlace',
  rateLimited: 'Demasiados clips: vuelve a intentarlo en un minuto',
  notLive: 'No hay nada que recortar: esta emisión no está en directo',
  signIn: 'Inicia sesión para hacer clips',
};

/** Every user-visible string of the elements, in English. */
const en = {
  play: 'Play',
  pause: 'Pause',
  mute: 'Mute',
  unmute: 'Unmute',
  tapToUnmute: 'Tap to unmute',
  live: 'LIVE',
  loading: 'Loading…',
  buffering: 'Buffering…',
  offline: 'This stream is not live',
  playbackError: 'Playback failed',
  goToLive: 'Go to live',
  player: 'Live video player',
  preview: 'Start camera',
  goLive: 'Go live',
  endStream: 'End stream',
  confirmEnd: 'End the stream for everyone?',
  connecting: 'Connecting…',
  onAir: 'On air',
  ended: 'Stream ended',
  broadcaster: 'Broadcaster',
  cameraPreview: 'Camera preview',
  chat: 'Chat',
  chatPlaceholder: 'Say something…',
  send: 'Send',
  viewers: '{count} watching',
  noMessages: 'No messages yet',
  signInToChat: 'Sign in to chat',
  sending: 'sending…',
  failed: 'not sent',
  retry: 'Dismiss',
} as const;

/** Keys of translatable strings. */
export type MessageKey = keyof typeof en;

/** A translation: every key, in another language. */
export type Messages = Record<MessageKey, string>;

const es: Messages = {
  play: 'Reproducir',
  pause: 'Pausa',
  mute: 'Silenciar',
  unmute: 'Activar sonido',
  tapToUnmute: 'Toca para activar el sonido',
  live: 'EN VIVO',
  loading: 'Cargando…',
  buffering: 'Cargando…',
  offline: 'Esta emisión no está en vivo',
  playbackError: 'Error de reproducción',
  goToLive: 'Ir al directo',
  player: 'Reproductor de vídeo en vivo',
  preview: 'Encender cámara',
  goLive: 'Emitir en vivo',
  endStream: 'Terminar emisión',
  confirmEnd: '¿Terminar la emisión para todos?',
  connecting: 'Conectando…',
  onAir: 'Al aire',
  ended: 'Emisión terminada',
  broadcaster: 'Emisor',
  cameraPreview: 'Vista previa de la cámara',
  chat: 'Chat',
  chatPlaceholder: 'Escribe algo…',
  send: 'Enviar',
  viewers: '{count} viendo',
  noMessages: 'Aún no hay mensajes',
  signInToChat: 'Inicia sesión para chatear',
  sending: 'enviando…',
  failed: 'no enviado',
  retry: 'Descartar',
};

const catalogs: Readonly<Record<string, Messages>> = { en, es };

/** Languages with a built-in translation. */
export const SUPPORTED_LANGUAGES = Object.keys(catalogs);

/**
 * Translates `key` for the language of `element` (its closest `lang`
 * attribute, then the document's), falling back to English.
 */
export function translate(
  element: Element | null,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  const lang = (element?.closest('[lang]')?.getAttribute('lang') ?? 'en').toLowerCase();
  const catalog = catalogs[lang] ?? catalogs[lang.split('-')[0] ?? 'en'] ?? en;
  return catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

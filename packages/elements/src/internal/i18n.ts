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
  streams: 'Streams',
  noStreams: 'No streams here yet',
  loadMore: 'Load more',
  scheduledFor: 'Starts {time}',
  endedAt: 'Ended {time}',
  cancelled: 'Cancelled',
  watching: '{count} watching',
  recording: 'Replay available',
  scheduler: 'Schedule a stream',
  title: 'Title',
  description: 'Description',
  category: 'Category',
  tags: 'Tags (comma-separated)',
  privacy: 'Who can watch',
  privacyPublic: 'Everyone',
  privacyUnlisted: 'Anyone with the link',
  privacyFollowers: 'Followers',
  privacyPrivate: 'Invited people',
  startsAt: 'Start time (leave empty to go live when ready)',
  create: 'Create stream',
  created: 'Stream created',
  streamKey: 'Stream key',
  keyShownOnce: 'Copy it now: it will not be shown again.',
  settings: 'Stream settings',
  save: 'Save',
  saved: 'Saved',
  quality: 'Quality',
  recordStream: 'Record the stream',
  viewerLimit: 'Viewer limit (empty for none)',
  chatEnabled: 'Chat on',
  chatMode: 'Who can chat',
  chatModeOpen: 'Everyone',
  chatModeFollowers: 'Followers',
  chatModeSubscribers: 'Subscribers',
  slowMode: 'Slow mode (seconds)',
  emoteOnly: 'Emote-only chat',
  reactions: 'Reactions',
  qna: 'Questions & answers',
  rotateKey: 'Rotate stream key',
  confirmRotate: 'Rotate the key? A live encoder using the old key is disconnected.',
  cancelStream: 'Cancel stream',
  confirmCancel: 'Cancel this scheduled stream?',
  invites: 'Invited user ids (one per line or comma-separated)',
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
  streams: 'Emisiones',
  noStreams: 'Aún no hay emisiones',
  loadMore: 'Cargar más',
  scheduledFor: 'Empieza {time}',
  endedAt: 'Terminó {time}',
  cancelled: 'Cancelada',
  watching: '{count} viendo',
  recording: 'Repetición disponible',
  scheduler: 'Programar una emisión',
  title: 'Título',
  description: 'Descripción',
  category: 'Categoría',
  tags: 'Etiquetas (separadas por comas)',
  privacy: 'Quién puede verla',
  privacyPublic: 'Todo el mundo',
  privacyUnlisted: 'Quien tenga el enlace',
  privacyFollowers: 'Seguidores',
  privacyPrivate: 'Personas invitadas',
  startsAt: 'Hora de inicio (vacío para emitir cuando quieras)',
  create: 'Crear emisión',
  created: 'Emisión creada',
  streamKey: 'Clave de emisión',
  keyShownOnce: 'Cópiala ahora: no se volverá a mostrar.',
  settings: 'Ajustes de la emisión',
  save: 'Guardar',
  saved: 'Guardado',
  quality: 'Calidad',
  recordStream: 'Grabar la emisión',
  viewerLimit: 'Límite de espectadores (vacío sin límite)',
  chatEnabled: 'Chat activado',
  chatMode: 'Quién puede chatear',
  chatModeOpen: 'Todo el mundo',
  chatModeFollowers: 'Seguidores',
  chatModeSubscribers: 'Suscriptores',
  slowMode: 'Modo lento (segundos)',
  emoteOnly: 'Solo emotes',
  reactions: 'Reacciones',
  qna: 'Preguntas y respuestas',
  rotateKey: 'Cambiar la clave',
  confirmRotate: '¿Cambiar la clave? Se desconectará el codificador que use la anterior.',
  cancelStream: 'Cancelar emisión',
  confirmCancel: '¿Cancelar esta emisión programada?',
  invites: 'Ids de personas invitadas (una por línea o separadas por comas)',
};

const catalogs: Readonly<Record<string, Messages>> = { en, es };

/** Languages with a built-in translation. */
export const SUPPORTED_LANGUAGES = Object.keys(catalogs);

/** The language that applies to `element`: its closest `lang`, else English. */
export function languageOf(element: Element | null): string {
  return element?.closest('[lang]')?.getAttribute('lang') ?? 'en';
}

/** A date and time in the element's language, e.g. "Sat, Nov 22, 3:00 PM". */
export function formatDateTime(element: Element | null, iso: string): string {
  return new Intl.DateTimeFormat(languageOf(element), {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

/**
 * Translates `key` for the language of `element` (its closest `lang`
 * attribute, then the document's), falling back to English.
 */
export function translate(
  element: Element | null,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  const lang = languageOf(element).toLowerCase();
  const catalog = catalogs[lang] ?? catalogs[lang.split('-')[0] ?? 'en'] ?? en;
  return catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

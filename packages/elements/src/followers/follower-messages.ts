/**
 * The strings of `<onair-followers>`, in English. Like the remind button's,
 * they are not main keys: they stay out of the main catalog (and the CDN
 * build's `onair.js`), and only the pages with the list carry them. A language registered
 * with `registerTranslation` names them `followers.` and the key
 * (`followers.title`) and wins over these and {@link FOLLOWER_MESSAGES_ES}.
 */
const followerEnglish = {
  title: 'Followers',
  loading: 'Loading followers…',
  empty: 'No followers yet',
  more: 'Load more',
  retry: 'Try again',
  forbidden: "Only the channel's owner and moderators see its followers",
  signIn: 'Sign in to see the followers',
} as const;

/** Keys of `<onair-followers>`'s strings. */
export type FollowerMessageKey = keyof typeof followerEnglish;

/**
 * Every `<onair-followers>` string in another language, keyed as
 * `registerTranslation` takes them: `followers.` and the key (`followers.title`).
 */
export type FollowerMessages = Record<`followers.${FollowerMessageKey}`, string>;

/** `<onair-followers>`'s English strings: where no registered language has one (and no built-in Spanish applies). */
export const FOLLOWER_MESSAGES: Readonly<Record<FollowerMessageKey, string>> = followerEnglish;

/** `<onair-followers>`'s built-in Spanish strings, for `es` and its variants. */
export const FOLLOWER_MESSAGES_ES: Readonly<Record<FollowerMessageKey, string>> = {
  title: 'Seguidores',
  loading: 'Cargando seguidores…',
  empty: 'Aún no hay seguidores',
  more: 'Cargar más',
  retry: 'Reintentar',
  forbidden: 'Solo el propietario y los moderadores del canal ven sus seguidores',
  signIn: 'Inicia sesión para ver los seguidores',
};

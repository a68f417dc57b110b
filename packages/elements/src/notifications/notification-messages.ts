/**
 * The strings of `<onair-notifications>` and `<onair-follow-button>`, in
 * English, kept out of the main catalog (`internal/i18n.ts`) so the elements
 * that never show them do not carry them. They are main keys all the same
 * ({@link MessageKey}): other languages register them with
 * `registerTranslation`, and `translate` knows them.
 */
export const notificationMessages = {
  notifications: 'Notifications',
  notificationsEmpty: 'No notifications yet',
  notificationsMarkRead: 'Mark all as read',
  notificationsMore: 'Older notifications',
  notifyLive: '{channel} is live: {title}',
  notifyScheduled: '{channel} scheduled {title}',
  notifyReminder: '{title} by {channel} starts soon',
  follow: 'Follow',
  unfollow: 'Following',
  notifyLevel: 'Notify me',
  notifyAll: 'All streams',
  notifyLiveOnly: 'When live',
  notifyNone: 'Never',
} as const;

/**
 * The strings of `<onair-remind-button>`, in English. Unlike the ones above
 * they are not main keys: like the clip button's, they stay out of the main
 * catalog and of `translations/es` (so out of the CDN build's `onair.js`), and
 * only the pages with the button carry them. A language
 * registered with `registerTranslation` names them `reminders.` and the key
 * (`reminders.remind`) and wins over these and {@link REMINDER_MESSAGES_ES}.
 */
const reminderEnglish = {
  remind: 'Remind me',
  set: 'Reminder set',
  started: 'This stream has already started',
  signIn: 'Sign in to get reminders',
} as const;

/** Keys of `<onair-remind-button>`'s strings. */
export type ReminderMessageKey = keyof typeof reminderEnglish;

/**
 * Every `<onair-remind-button>` string in another language, keyed as
 * `registerTranslation` takes them: `reminders.` and the key (`reminders.set`).
 */
export type ReminderMessages = Record<`reminders.${ReminderMessageKey}`, string>;

/** `<onair-remind-button>`'s English strings: where no registered language has one (and no built-in Spanish applies). */
export const REMINDER_MESSAGES: Readonly<Record<ReminderMessageKey, string>> = reminderEnglish;

/** `<onair-remind-button>`'s built-in Spanish strings, for `es` and its variants. */
export const REMINDER_MESSAGES_ES: Readonly<Record<ReminderMessageKey, string>> = {
  remind: 'Recordármelo',
  set: 'Recordatorio activado',
  started: 'Esta emisión ya ha empezado',
  signIn: 'Inicia sesión para recibir recordatorios',
};

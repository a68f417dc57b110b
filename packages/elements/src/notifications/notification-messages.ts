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

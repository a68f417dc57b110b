/**
 * The strings of the stage elements (`<onair-stage>`, `<onair-stage-join>`,
 * `<onair-stage-manager>`), in English, kept out of the main catalog
 * (`internal/i18n.ts`) so the elements that never show them do not carry
 * them. They are main keys all the same ({@link MessageKey}): other
 * languages register them with `registerTranslation`, and `translate` knows them.
 */
export const stageMessages = {
  stage: 'On stage',
  stageEmpty: 'Nobody is on stage',
  stageHost: 'Host',
  stageSpeaking: 'speaking',
  stageMicOff: 'Microphone off',
  stageMutedByHost: 'Muted by the host',
  stageRaiseHand: 'Raise hand',
  stageLowerHand: 'Lower hand',
  stageHandRaised: 'Your hand is raised: the host sees it',
  stageInvited: 'You are invited on stage',
  stageCheckDevices: 'Check your camera and microphone, then join',
  stageJoin: 'Join stage',
  stageLeave: 'Leave stage',
  stageOnStage: 'You are on stage',
  stageHands: 'Raised hands',
  stageNoHands: 'No raised hands',
  stageBringOn: 'Bring on stage',
  stageDismiss: 'Dismiss',
  stageRemove: 'Remove from stage',
  stageInvite: 'Invite',
  stageInviteLabel: 'User id to invite as co-host',
  stageCohost: 'Co-host',
  stageGuest: 'Guest',
  stageLive: 'Live',
  stageWaiting: 'Not sending yet',
  stageNobody: 'Nobody else is on stage',
  stageLayout: 'Picture for HLS viewers',
  stageLayoutGrid: 'Grid',
  stageLayoutSpeaker: 'Speaker',
} as const;

/**
 * What the stage elements show, in English (their `OnAirElement.english`):
 * their own strings and the few of the main catalog they share, repeated here
 * so that their pages do not carry the main catalog.
 */
export const stageEnglish: Record<string, string> = {
  ...stageMessages,
  camera: 'Camera',
  microphone: 'Microphone',
  notNow: 'Not now',
  connecting: 'Connecting…',
  mute: 'Mute',
  unmute: 'Unmute',
  loading: 'Loading…',
};

/**
 * `@onair/elements/followers`: registers `<onair-followers>` (a channel's
 * followers, for its owner and moderators) and no other (in browsers only).
 * Not in `@onair/elements` nor the CDN build's `onair.js` (its `followers.js`
 * is this entry): a page without it carries none of it.
 *
 * @example
 * ```ts
 * import '@onair/elements/followers'; // defines <onair-followers>
 *
 * const list = document.createElement('onair-followers');
 * list.client = client; // signed in as the channel's owner or a moderator
 * list.channelId = ownerUserId;
 * document.body.append(list);
 * ```
 * @packageDocumentation
 */
import type { FollowerMessageKey, FollowerMessages } from './follower-messages.js';
import { defineFollowers, OnAirFollowersElement } from './followers.component.js';

defineFollowers();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineFollowers, type FollowerMessageKey, type FollowerMessages, OnAirFollowersElement };

import { describe, expect, it } from 'vitest';
import { OnAirPlayerElement } from './components.js';

/*
 * `@onair/elements/components` registers nothing and each `@onair/elements/<name>` entry
 * registers only its own element (this file runs in a page of its own).
 */
describe('entry points', () => {
  it('./components registers nothing; ./chat registers <onair-chat> and no other element', async () => {
    expect(OnAirPlayerElement).toBeTypeOf('function');
    expect(customElements.get('onair-player')).toBeUndefined();
    expect(customElements.get('onair-chat')).toBeUndefined();

    const chat = await import('./chat/onair-chat.js');
    expect(customElements.get('onair-chat')).toBe(chat.OnAirChatElement);
    for (const other of [
      'onair-player',
      'onair-broadcaster',
      'onair-poll',
      'onair-stats',
      'onair-analytics',
    ]) {
      expect(customElements.get(other)).toBeUndefined();
    }
  });

  it('./analytics registers <onair-analytics> and <onair-stream-summary> only', async () => {
    const analytics = await import('./analytics/onair-analytics.js');
    expect(customElements.get('onair-analytics')).toBe(analytics.OnAirAnalyticsElement);
    expect(customElements.get('onair-stream-summary')).toBe(analytics.OnAirStreamSummaryElement);
    expect(customElements.get('onair-player')).toBeUndefined();
  });

  it('./stage registers <onair-stage> only', async () => {
    const stage = await import('./stage/onair-stage.js');
    expect(customElements.get('onair-stage')).toBe(stage.OnAirStageElement);
    expect(customElements.get('onair-player')).toBeUndefined();
  });

  it('./clip-button registers <onair-clip-button> only; ./components does not carry it', async () => {
    const components = await import('./components.js');
    const clipButton = await import('./clip-button/onair-clip-button.js');
    expect(customElements.get('onair-clip-button')).toBe(clipButton.OnAirClipButtonElement);
    expect(Object.values(components)).not.toContain(clipButton.OnAirClipButtonElement);
    expect(customElements.get('onair-follow-button')).toBeUndefined();
  });

  it('./chat-replay registers <onair-chat-replay> and <onair-chapter-button> only', async () => {
    const components = await import('./components.js');
    const replay = await import('./chat-replay/onair-chat-replay.js');
    expect(customElements.get('onair-chat-replay')).toBe(replay.OnAirChatReplayElement);
    expect(customElements.get('onair-chapter-button')).toBe(replay.OnAirChapterButtonElement);
    expect(Object.values(components)).not.toContain(replay.OnAirChatReplayElement);
    expect(customElements.get('onair-player')).toBeUndefined();
  });

  it('./remind-button registers <onair-remind-button> only; ./components does not carry it', async () => {
    const components = await import('./components.js');
    const remind = await import('./remind-button/onair-remind-button.js');
    expect(customElements.get('onair-remind-button')).toBe(remind.OnAirRemindButtonElement);
    expect(Object.values(components)).not.toContain(remind.OnAirRemindButtonElement);
    expect(customElements.get('onair-notifications')).toBeUndefined();
  });

  it('./followers registers <onair-followers> only; ./components does not carry it', async () => {
    const components = await import('./components.js');
    const followers = await import('./followers/onair-followers.js');
    expect(customElements.get('onair-followers')).toBe(followers.OnAirFollowersElement);
    expect(Object.values(components)).not.toContain(followers.OnAirFollowersElement);
    expect(customElements.get('onair-follow-button')).toBeUndefined();
  });
});

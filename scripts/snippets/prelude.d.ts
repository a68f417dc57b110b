// Names a documentation fragment (a ```ts fragment block) may use without declaring:
// what the surrounding prose has already set up. Complete snippets never see these.

/** The page's OnAir client, created as in the README. */
declare const client: import('@onair/core').OnAirClient;
/** The stream being watched or broadcast. */
declare const stream: import('@onair/protocol').Stream;
/** Its id. */
declare const streamId: string;
/** A `<video>` element on the page. */
declare const video: HTMLVideoElement;
/** Fetches the signed-in user's OnAir token from the host app's backend. */
declare function getToken(): Promise<string>;

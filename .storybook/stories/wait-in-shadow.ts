/**
 * Waits for `selector` in the shadow root of the first `tag` element under
 * `canvas`: a story's element is appended in an effect, and what it shows is
 * rendered after its engine or data arrive. Throws when it never shows (the
 * story then fails, rather than showing the wrong state).
 */
export async function waitInShadow<T extends Element>(
  canvas: HTMLElement,
  tag: string,
  selector: string,
): Promise<{ host: HTMLElement & { updateComplete?: Promise<unknown> }; found: T }> {
  for (let tries = 0; tries < 100; tries++) {
    const host = canvas.querySelector<HTMLElement>(tag);
    const found = host?.shadowRoot?.querySelector<T>(selector);
    if (host && found) return { host, found };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${selector} never showed in ${tag}`);
}

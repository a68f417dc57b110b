const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Seconds as the elements show a time: `m:ss` (`mm:ss` with `padMinutes`),
 * or `h:mm:ss` from an hour on. The player, the broadcaster's live timer and
 * the chat replay's offsets share it.
 */
export function clock(seconds: number, padMinutes = false): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  return `${h > 0 ? `${h}:${pad(m)}` : padMinutes ? pad(m) : m}:${pad(total % 60)}`;
}

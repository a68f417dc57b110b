import type { Decorator } from '@storybook/react-vite';

/**
 * A story on a dark host page: the page sets `--onair-color-scheme: dark`
 * (and its own `color-scheme`), and the element takes its dark palette from
 * it, no other custom property set. Its screenshot and axe's contrast check
 * cover the element's dark look.
 */
export const darkPage: Decorator = (Story) => <div style={DARK_PAGE}>{Story()}</div>;

/** The dark host page's style (a page would set it on `:root`). */
export const DARK_PAGE = {
  '--onair-color-scheme': 'dark',
  colorScheme: 'dark',
  background: '#111',
  color: '#eee',
  padding: 16,
} as React.CSSProperties;

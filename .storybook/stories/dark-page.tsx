import type { Decorator } from '@storybook/react-vite';

/**
 * A story on a dark host page: the page declares `color-scheme: dark`, and the
 * element takes its dark palette from it (no custom property set). Its
 * screenshot and axe's contrast check cover the element's dark look.
 */
export const darkPage: Decorator = (Story) => (
  <div style={{ colorScheme: 'dark', background: '#111', color: '#eee', padding: 16 }}>
    {Story()}
  </div>
);

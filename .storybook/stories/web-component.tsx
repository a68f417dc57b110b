import '@onair/elements';
import { useEffect, useRef } from 'react';

/** Props of {@link WebComponent}. */
export interface WebComponentProps {
  tag: `onair-${string}` & keyof HTMLElementTagNameMap;
  /** JS properties (client, store, …). */
  properties?: Record<string, unknown>;
  /** HTML attributes (stream-id, src, muted, …). */
  attributes?: Record<string, string>;
  /** `lang` of the wrapper, to preview translations. */
  lang?: string;
  style?: React.CSSProperties;
}

/**
 * Mounts an OnAir element the way a plain HTML page would: create it, set
 * properties and attributes, append it. Used by the web-component stories.
 */
export function WebComponent({
  tag,
  properties = {},
  attributes = {},
  lang = 'en',
  style,
}: WebComponentProps) {
  const host = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a story mounts its element once
  useEffect(() => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    Object.assign(element, properties);
    host.current?.append(element);
    return () => element.remove();
  }, []);
  // display: contents lets the element itself size to the story's layout.
  return <div ref={host} lang={lang} style={{ display: 'contents', ...style }} />;
}

import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import type { OnAirClient } from '@onair/core';
import type { OnAirElement } from '@onair/elements/components';
import * as React from 'react';
import { useProvidedClient } from './provider.js';

type EventNames = Record<string, EventName>;
interface WrapperProps {
  client?: OnAirClient | undefined;
  [prop: string]: unknown;
}

/**
 * A React wrapper of an OnAir element (`createComponent`) that registers the
 * element when it first renders, not when the module loads, so an app's
 * bundle keeps only the wrappers (and elements) it uses; registering is a
 * no-op outside browsers, so server rendering stays safe. The element's
 * `client` is the `client` prop, else the one of the nearest `OnAirProvider`.
 */
export function wrap<I extends OnAirElement, E extends EventNames = Record<never, never>>(
  displayName: string,
  tagName: string,
  elementClass: new () => I,
  define: () => void,
  events?: E,
): ReactWebComponent<I, E> {
  // Typed loosely inside: the wrapper passes every prop through and adds `client`.
  const Element = createComponent({
    react: React,
    tagName,
    elementClass,
    displayName: `${displayName}Element`,
    ...(events ? { events } : {}),
  }) as unknown as React.ComponentType<WrapperProps & React.RefAttributes<HTMLElement>>;
  // biome-ignore lint/correctness/noComponentHookFactories: runs once per element at module level, like createComponent
  const Wrapper = React.forwardRef<HTMLElement, WrapperProps>((props, ref) => {
    define();
    const provided = useProvidedClient();
    // (PropsWithoutRef loses the prop's type on an index-signature interface.)
    const client = (props.client as OnAirClient | undefined) ?? provided;
    const elementProps: WrapperProps = client ? { ...props, client } : props;
    return React.createElement(Element, { ...elementProps, ref });
  });
  Wrapper.displayName = displayName;
  return Wrapper as unknown as ReactWebComponent<I, E>;
}

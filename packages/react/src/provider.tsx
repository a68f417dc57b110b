import type { OnAirClient } from '@onair/core';
import { createContext, type ReactNode, useContext } from 'react';

const OnAirContext = createContext<OnAirClient | null>(null);

/** Props of {@link OnAirProvider}. */
export interface OnAirProviderProps {
  /**
   * The client every hook and component below uses (a component's own
   * `client` prop wins). Create it once, outside render.
   */
  client: OnAirClient;
  children?: ReactNode;
}

/**
 * Makes an {@link OnAirClient} available to OnAir hooks and components.
 *
 * @example
 * ```tsx
 * const client = new OnAirClient({ baseUrl, token: getToken });
 * root.render(<OnAirProvider client={client}><App /></OnAirProvider>);
 * ```
 */
export function OnAirProvider({ client, children }: OnAirProviderProps) {
  return <OnAirContext.Provider value={client}>{children}</OnAirContext.Provider>;
}

/**
 * The client from the nearest {@link OnAirProvider}, or null outside one:
 * for the element wrappers, whose `client` prop may stand in for it.
 */
export function useProvidedClient(): OnAirClient | null {
  return useContext(OnAirContext);
}

/** The client from the nearest {@link OnAirProvider}; throws outside one. */
export function useOnAirClient(): OnAirClient {
  const client = useContext(OnAirContext);
  if (!client) throw new Error('useOnAirClient must be used inside <OnAirProvider>');
  return client;
}

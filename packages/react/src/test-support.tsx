import { OnAirClient } from '@onair/core';
import { DevTokenResponseSchema } from '@onair/protocol';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach } from 'vitest';
import { OnAirProvider } from './provider.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;

/** Unmounts what {@link render} mounted, after each test. */
export function cleanUpAfterEach(): void {
  afterEach(() => {
    act(() => root?.unmount());
    root = undefined;
    document.body.innerHTML = '';
  });
}

/** Test-only: a client signed in with a development token (through the test page's proxy). */
export async function signedIn(name: string): Promise<{ client: OnAirClient; userId: string }> {
  const response = await fetch(`${location.origin}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: name }),
  });
  const { token, user } = DevTokenResponseSchema.parse(await response.json());
  return { client: new OnAirClient({ baseUrl: location.origin, token }), userId: user.id };
}

/** Renders `node` (inside a provider when a client is given) into a fresh container. */
export function render(node: ReactNode, client?: OnAirClient): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root?.render(client ? <OnAirProvider client={client}>{node}</OnAirProvider> : node));
  return container;
}

/** Re-renders the last rendered root. */
export function rerender(node: ReactNode, client?: OnAirClient): void {
  act(() => root?.render(client ? <OnAirProvider client={client}>{node}</OnAirProvider> : node));
}

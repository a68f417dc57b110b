/** Dispatches a bubbling, composed custom event from `host`. */
export function emit<T>(host: HTMLElement, name: string, detail: T): boolean {
  return host.dispatchEvent(
    new CustomEvent<T>(name, { detail, bubbles: true, composed: true, cancelable: true }),
  );
}

/** Defines a custom element once, and only where custom elements exist (SSR-safe). */
export function defineElement(name: string, elementClass: CustomElementConstructor): void {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;
  customElements.define(name, elementClass);
}

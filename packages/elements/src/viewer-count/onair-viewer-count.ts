import { defineViewerCount, OnAirViewerCountElement } from './viewer-count.component.js';

defineViewerCount();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirViewerCountElement };

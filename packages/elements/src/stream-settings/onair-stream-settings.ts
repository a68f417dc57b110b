import { defineStreamSettings, OnAirStreamSettingsElement } from './stream-settings.component.js';

defineStreamSettings();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirStreamSettingsElement };

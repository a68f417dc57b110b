import { defineStats, OnAirStatsElement } from './stats.component.js';

defineStats();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirStatsElement };

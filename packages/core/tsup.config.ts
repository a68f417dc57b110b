import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  entry: {
    index: 'src/index.ts',
    analytics: 'src/analytics/index.ts',
    notifications: 'src/notifications.ts',
    stage: 'src/stage.ts',
  },
});

import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  entry: {
    index: 'src/index.ts',
    analytics: 'src/analytics/index.ts',
    clips: 'src/clips.ts',
    notifications: 'src/notifications.ts',
    replay: 'src/replay.ts',
    stage: 'src/stage.ts',
  },
});

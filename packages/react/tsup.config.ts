import { defineConfig } from 'tsup';
import { tsupBase } from '../../tsup.base.js';

export default defineConfig({
  ...tsupBase,
  entry: [
    'src/index.ts',
    'src/analytics.ts',
    'src/clips.ts',
    'src/notifications.ts',
    'src/remind-button.ts',
    'src/replay.ts',
    'src/stage.ts',
  ],
  external: [/^@onair\//, 'react', 'react-dom', /^@lit\//, 'lit'],
});

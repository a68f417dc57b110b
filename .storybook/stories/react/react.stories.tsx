import { OnAirChat, OnAirPlayer } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { MockChatStore, mockClient, mockMessages, mockStream, streamHandlers } from '../mocks.js';

function WatchPage() {
  const [status, setStatus] = useState('idle');
  const [client] = useState(mockClient);
  const [store] = useState(
    () => new MockChatStore({ viewerCount: 42, messages: mockMessages(20) }),
  );
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '2fr 1fr', gap: 16, maxWidth: 1000 }}>
      <div>
        <OnAirPlayer
          client={client}
          streamId="str_story"
          muted
          onStatusChange={(e) => setStatus(e.detail.status)}
        />
        <p>
          Player status from <code>onStatusChange</code>: <strong>{status}</strong>
        </p>
      </div>
      <OnAirChat store={store} style={{ height: 420 }} />
    </div>
  );
}

const meta: Meta<typeof WatchPage> = {
  title: 'React/Watch page',
  component: WatchPage,
};
export default meta;

/** The React wrappers with typed event props, composed into a viewer page. */
export const Offline: StoryObj<typeof WatchPage> = {
  parameters: { msw: { handlers: streamHandlers(mockStream('scheduled')) } },
};

/** Live, waiting for HLS. */
export const Live: StoryObj<typeof WatchPage> = {
  parameters: { msw: { handlers: streamHandlers(mockStream('live')) } },
};

import '@onair/elements/translations/es';
import type { PlayerState, RealtimeParticipant } from '@onair/core';
import type { Stage } from '@onair/protocol/stage';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { elementDocs } from '../element-docs.js';
import { MockStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stage',
  component: WebComponent,
  args: { tag: 'onair-stage', attributes: { 'host-name': 'Dana (host)' } },
  decorators: [
    (Story) => (
      <div style={{ width: 720 }}>
        <Story />
      </div>
    ),
  ],
  tags: ['autodocs'],
  parameters: elementDocs('onair-stage'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

const PEOPLE = [
  { id: 'usr_dana', name: 'Dana (host)', colour: '#345995' },
  { id: 'usr_cora', name: 'Cora Lind', colour: '#03cea4' },
  { id: 'usr_gil', name: 'Gil Moreno', colour: '#ca1551' },
  { id: 'usr_ines', name: 'Inés Ruiz', colour: '#fb4d3d' },
  { id: 'usr_kai', name: 'Kai Osei', colour: '#eac435' },
  { id: 'usr_lu', name: 'Lu Chen', colour: '#7d5ba6' },
] as const;

/** A moving test card for one person: a canvas's stream, standing in for their camera. */
function camera(colour: string, label: string): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const context = canvas.getContext('2d');
  let frame = 0;
  const draw = () => {
    if (!context) return;
    context.fillStyle = colour;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = 'rgb(255 255 255 / 35%)';
    context.beginPath();
    context.arc(320, 170 + Math.sin(frame / 15) * 12, 80, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = '#fff';
    context.font = '600 28px system-ui';
    context.textAlign = 'center';
    context.fillText(label, 320, 320);
    frame++;
    requestAnimationFrame(draw);
  };
  draw();
  return canvas.captureStream(15);
}

function participants(
  count: number,
  patch: (index: number) => Partial<RealtimeParticipant> = () => ({}),
): RealtimeParticipant[] {
  return PEOPLE.slice(0, count).map((person, index) => ({
    userId: person.id,
    host: index === 0,
    mediaStream: camera(person.colour, person.name),
    hasVideo: true,
    hasAudio: true,
    audioLevel: 0,
    speaking: false,
    sharingScreen: false,
    ...patch(index),
  }));
}

function stage(count: number, mutedByHost: string[] = []): MockStore<{ stage: Stage | null }> {
  return new MockStore<{ stage: Stage | null }>({
    stage: {
      streamId: 'str_story',
      limit: 6,
      layout: 'grid',
      members: PEOPLE.slice(1, count).map((person, index) => ({
        user: { id: person.id, displayName: person.name },
        role: index === 0 ? 'cohost' : 'guest',
        invitedAt: '2026-12-03T10:00:00.000Z',
        mutedByHost: mutedByHost.includes(person.id),
        publishing: true,
      })),
      hands: [],
    },
  });
}

const player = (list: RealtimeParticipant[]) =>
  new MockStore<Pick<PlayerState, 'participants'>>({ participants: list });

/** The host and a co-host, side by side. */
export const TwoPeople: Story = {
  render: (args) => (
    <WebComponent {...args} properties={{ player: player(participants(2)), stage: stage(2) }} />
  ),
};

/** Three on stage, the co-host speaking (the green ring). */
export const ThreeSpeaking: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        player: player(
          participants(3, (i) => (i === 1 ? { speaking: true, audioLevel: 0.4 } : {})),
        ),
        stage: stage(3),
      }}
    />
  ),
};

/** A full stage: six people, the default limit. */
export const FullStage: Story = {
  render: (args) => (
    <WebComponent {...args} properties={{ player: player(participants(6)), stage: stage(6) }} />
  ),
};

/** The speaker layout: whoever speaks gets the large tile, the rest a strip. */
export const SpeakerLayout: Story = {
  args: { attributes: { 'host-name': 'Dana (host)', layout: 'speaker' } },
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        player: player(
          participants(4, (i) => (i === 2 ? { speaking: true, audioLevel: 0.5 } : {})),
        ),
        stage: stage(4),
      }}
    />
  ),
};

/** A co-host shares a screen: it takes the large tile, even in the grid layout. */
export const ScreenShared: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        player: player(participants(3, (i) => (i === 1 ? { sharingScreen: true } : {}))),
        stage: stage(3),
      }}
    />
  ),
};

/** A guest the host muted, and a co-host with no camera (initials) and no microphone. */
export const MutedAndCameraOff: Story = {
  render: (args) => (
    <WebComponent
      {...args}
      properties={{
        player: player(
          participants(3, (i) => (i === 1 ? { hasVideo: false, hasAudio: false } : {})),
        ),
        stage: stage(3, ['usr_gil']),
      }}
    />
  ),
};

/** Nobody publishing yet (over HLS, or before the host goes live). */
export const Empty: Story = {
  render: (args) => <WebComponent {...args} properties={{ player: player([]) }} />,
};

/** Spanish labels. */
export const Spanish: Story = {
  args: { lang: 'es', attributes: {} },
  render: (args) => (
    <WebComponent
      {...args}
      properties={{ player: player(participants(3, () => ({ hasAudio: false }))), stage: stage(3) }}
    />
  ),
};

import '@onair/elements/translations/es';
import { OnAirError } from '@onair/core';
import type { StageState } from '@onair/core/stage';
import type { StageManagerStoreLike } from '@onair/elements/stage-manager';
import type { RaisedHand, Stage, StageLayout, StageMember, StageRole } from '@onair/protocol/stage';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { darkPage } from '../dark-page.js';
import { elementDocs } from '../element-docs.js';
import { MockStore } from '../mocks.js';
import { WebComponent } from '../web-component.js';

const meta: Meta<typeof WebComponent> = {
  title: 'Elements/onair-stage-manager',
  component: WebComponent,
  args: { tag: 'onair-stage-manager' },
  decorators: [(Story) => <div style={{ maxWidth: 420 }}>{Story()}</div>],
  tags: ['autodocs'],
  parameters: elementDocs('onair-stage-manager'),
};
export default meta;
type Story = StoryObj<typeof WebComponent>;

/** The people the mock server knows: any of these ids can be invited as a co-host. */
const PEOPLE = {
  usr_cora: 'Cora Lind',
  usr_gil: 'Gil Moreno',
  usr_ines: 'Inés Ruiz',
  usr_kai: 'Kai Osei',
  usr_lu: 'Lu Chen',
  usr_mo: 'Mo Farah',
  usr_nia: 'Nia Brooks',
} as const;
type PersonId = keyof typeof PEOPLE;

const user = (id: PersonId) => ({ id, displayName: PEOPLE[id] });

const hand = (id: PersonId, minutesAgo: number): RaisedHand => ({
  user: user(id),
  raisedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
});

const member = (
  id: PersonId,
  role: StageRole,
  patch: Partial<Pick<StageMember, 'mutedByHost' | 'publishing'>> = {},
): StageMember => ({
  user: user(id),
  role,
  invitedAt: '2026-12-03T10:00:00.000Z',
  mutedByHost: false,
  publishing: true,
  ...patch,
});

/**
 * The stage in memory, with the server's rules that show in the element:
 * the limit (`STREAM_FULL`), unknown users (`NOT_FOUND`), a hand lowered
 * when its owner comes on stage. Each action takes a moment, so its buttons
 * are seen disabled.
 */
class MockStageStore
  extends MockStore<Pick<StageState, 'status' | 'stage' | 'error'>>
  implements StageManagerStoreLike
{
  constructor(stage: Partial<Omit<Stage, 'streamId'>>) {
    super({
      status: 'ready',
      stage: { streamId: 'str_story', limit: 6, layout: 'grid', members: [], hands: [], ...stage },
      error: null,
    });
  }

  private get stage(): Stage {
    return this.state.stage as Stage;
  }

  private async answer<T>(work: (stage: Stage) => T): Promise<T> {
    await new Promise((resolve) => setTimeout(resolve, 400));
    try {
      return work(this.stage);
    } catch (error) {
      this.set({ error: OnAirError.from(error) });
      throw error;
    }
  }

  invite(userId: string, role: StageRole): Promise<Stage> {
    return this.answer((stage) => {
      const known = stage.members.find((m) => m.user.id === userId);
      if (!known && stage.members.length + 1 >= stage.limit) {
        throw new OnAirError('STREAM_FULL', `The stage is full (${stage.limit} people)`, {
          stageLimit: stage.limit,
        });
      }
      if (!(userId in PEOPLE)) throw new OnAirError('NOT_FOUND', 'No such user');
      const next: Stage = {
        ...stage,
        members: known
          ? stage.members.map((m) => (m === known ? { ...m, role } : m))
          : [...stage.members, member(userId as PersonId, role, { publishing: false })],
        hands: stage.hands.filter((h) => h.user.id !== userId),
      };
      this.set({ stage: next });
      return next;
    });
  }

  setMuted(userId: string, mutedByHost: boolean): Promise<Stage> {
    return this.answer((stage) => {
      const next: Stage = {
        ...stage,
        members: stage.members.map((m) => (m.user.id === userId ? { ...m, mutedByHost } : m)),
      };
      this.set({ stage: next });
      return next;
    });
  }

  remove(userId: string): Promise<void> {
    return this.answer((stage) => {
      this.set({ stage: { ...stage, members: stage.members.filter((m) => m.user.id !== userId) } });
    });
  }

  setLayout(layout: StageLayout): Promise<Stage> {
    return this.answer((stage) => {
      const next: Stage = { ...stage, layout };
      this.set({ stage: next });
      return next;
    });
  }

  lowerHand(userId: string): Promise<void> {
    return this.answer((stage) => {
      this.set({ stage: { ...stage, hands: stage.hands.filter((h) => h.user.id !== userId) } });
    });
  }
}

const store = (stage: Partial<Omit<Stage, 'streamId'>>) => ({ store: new MockStageStore(stage) });

/**
 * Three viewers asked to come on stage, the first raised first. "Bring on
 * stage" makes them a guest; "Dismiss" lowers their hand.
 */
export const HandsWaiting: Story = {
  args: {
    properties: store({
      hands: [hand('usr_gil', 6), hand('usr_ines', 3), hand('usr_kai', 1)],
      members: [member('usr_cora', 'cohost')],
    }),
  },
};

/**
 * A co-host and two guests on stage: one guest muted by the host, one not
 * sending yet. Invite `usr_lu`, `usr_mo` or `usr_nia` as a co-host; any
 * other id is a user the server never saw.
 */
export const MembersOnStage: Story = {
  args: {
    properties: store({
      members: [
        member('usr_cora', 'cohost'),
        member('usr_gil', 'guest', { mutedByHost: true }),
        member('usr_ines', 'guest', { publishing: false }),
      ],
    }),
  },
};

/** The host alone: no hands, nobody else on stage. */
export const Empty: Story = {
  args: { properties: store({}) },
};

/**
 * A full stage (six people with the host) and a hand waiting: bringing
 * them on is refused with `STREAM_FULL`, shown in the alert.
 */
export const ErrorShown: Story = {
  args: {
    properties: store({
      hands: [hand('usr_nia', 2)],
      members: [
        member('usr_cora', 'cohost'),
        member('usr_gil', 'guest'),
        member('usr_ines', 'guest'),
        member('usr_kai', 'guest'),
        member('usr_lu', 'guest', { publishing: false }),
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const manager = canvasElement.querySelector('onair-stage-manager');
    await manager?.updateComplete;
    manager?.shadowRoot?.querySelector<HTMLButtonElement>('[data-action="bring-on"]')?.click();
  },
};

/** Spanish strings, with hands and people on stage. */
export const Spanish: Story = {
  args: {
    lang: 'es',
    properties: store({
      hands: [hand('usr_kai', 4)],
      members: [
        member('usr_cora', 'cohost'),
        member('usr_gil', 'guest', { mutedByHost: true }),
        member('usr_ines', 'guest', { publishing: false }),
      ],
    }),
  },
};

/** Hands waiting, on a dark page. */
export const Dark: Story = { ...HandsWaiting, decorators: [darkPage] };

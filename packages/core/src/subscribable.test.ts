import { describe, expect, it, vi } from 'vitest';
import { Subscribable } from './subscribable.js';

class Counter extends Subscribable<{ n: number }> {
  protected snapshot = { n: 0 };
  started = 0;
  stopped = 0;
  protected override onSubscribe() {
    this.started++;
  }
  protected override onUnsubscribe() {
    this.stopped++;
  }
  inc() {
    this.setSnapshot({ n: this.snapshot.n + 1 });
  }
  same() {
    this.setSnapshot(this.snapshot);
  }
}

describe('Subscribable', () => {
  it('starts with the first listener, stops with the last, and unsubscribes once', () => {
    const c = new Counter();
    const a = c.subscribe(() => undefined);
    const b = c.subscribe(() => undefined);
    expect(c.started).toBe(1);
    a();
    a();
    expect(c.stopped).toBe(0);
    b();
    expect(c.stopped).toBe(1);
  });

  it('keeps the snapshot identity until something changes', () => {
    const c = new Counter();
    const listener = vi.fn();
    c.subscribe(listener);
    const first = c.getSnapshot();
    c.same();
    expect(listener).not.toHaveBeenCalled();
    expect(c.getSnapshot()).toBe(first);
    c.inc();
    expect(listener).toHaveBeenCalledWith({ n: 1 });
    expect(c.getSnapshot()).not.toBe(first);
  });

  it('isolates a throwing listener from the others', () => {
    const c = new Counter();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const good = vi.fn();
    c.subscribe(() => {
      throw new Error('boom');
    });
    c.subscribe(good);
    c.inc();
    expect(good).toHaveBeenCalledOnce();
    errors.mockRestore();
  });
});

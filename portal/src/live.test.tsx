// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The browser's EventSource, played by hand: the server side is tested in server/live. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private handlers = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, handler: (e: MessageEvent) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  emit(type: string, data: unknown, lastEventId = '') {
    for (const h of this.handlers.get(type) ?? []) h(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }));
  }
  refuse() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
}

let live: typeof import('./live.js');

beforeEach(async () => {
  vi.useFakeTimers();
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.resetModules();
  live = await import('./live.js');
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function List({ resources, onRefetch }: { resources: string[]; onRefetch: () => void }) {
  const state = live.useLiveRefresh(resources, onRefetch);
  return <p data-testid="state">{state}</p>;
}

describe('useLiveRefresh', () => {
  it('re-reads once for a burst of changes to its resource and ignores other resources', async () => {
    const appointments = vi.fn();
    const journal = vi.fn();
    const view = render(<><List resources={['appointment']} onRefetch={appointments} /><List resources={['journalEntry']} onRefetch={journal} /></>);
    expect(FakeEventSource.all).toHaveLength(1); // one stream for the page
    const source = FakeEventSource.all[0];
    act(() => source.open());
    expect(view.getAllByTestId('state')[0].textContent).toBe('live');
    act(() => {
      for (let i = 1; i <= 5; i++) source.emit('change', { resource: 'appointment', id: i, action: 'updated' }, `1-${i}`);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(appointments).toHaveBeenCalledTimes(1);
    expect(journal).not.toHaveBeenCalled();
  });

  it('re-reads every list on a reset and stops knocking once the server ends the session', async () => {
    const refetch = vi.fn();
    const view = render(<List resources={['prescription']} onRefetch={refetch} />);
    const source = FakeEventSource.all[0];
    act(() => source.open());
    act(() => source.emit('reset', {}, '5-0'));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(500);
    });
    expect(refetch).toHaveBeenCalledTimes(1);
    act(() => source.emit('end', { reason: 'session-ended' }));
    expect(view.getByTestId('state').textContent).toBe('offline');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(FakeEventSource.all).toHaveLength(1);
  });

  it('reopens a refused stream later, asking to replay from the last event it saw', async () => {
    render(<List resources={['appointment']} onRefetch={() => undefined} />);
    const first = FakeEventSource.all[0];
    act(() => first.open());
    act(() => first.emit('change', { resource: 'appointment', id: 1, action: 'created' }, '1700000000000-3'));
    act(() => first.refuse());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(20_000);
    });
    expect(FakeEventSource.all).toHaveLength(2);
    expect(FakeEventSource.all[1].url).toBe('/api/events?lastEventId=1700000000000-3');
  });
});

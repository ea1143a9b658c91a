import assert from 'node:assert/strict';
import type { TimelineEntry, TimelineKind, TimelinePage } from '../../../../backend/contract';
import { ProjectTimeline, type TimelineApi } from '../../../../extension/projects/projectTimeline';

const entry = (id: string, kind: TimelineKind): TimelineEntry => ({
  id, projectId: 'p', kind, actor: 'user', outcome: 'succeeded', detail: null, at: '2026-12-07T22:00:00.000Z',
});

/** An API whose answers the test releases one by one, recording each query. */
function scriptedApi() {
  const calls: { cursor?: string | null; kinds?: TimelineKind[] }[] = [];
  const pending: ((page: TimelinePage) => void)[] = [];
  const api: TimelineApi = {
    timeline: (_id, q) => {
      calls.push({ cursor: q.cursor, kinds: q.kinds });
      return new Promise((resolve) => pending.push(resolve));
    },
  };
  return { api, calls, answer: (i: number, page: TimelinePage) => pending[i]!(page) };
}

describe('ProjectTimeline (the panel\'s Timeline section)', () => {
  it('loads the first page, then appends the next with its cursor', async () => {
    const s = scriptedApi();
    const t = new ProjectTimeline(s.api, 'p', () => undefined);
    const view = () => t.view;
    assert.equal(view(), undefined, 'nothing to show before the first answer');
    const first = t.reload();
    s.answer(0, { items: [entry('b', 'push')], nextCursor: 'c1' });
    await first;
    assert.deepEqual([view()?.entries.map((e) => e.id), view()?.hasMore], [['b'], true]);
    const more = t.more();
    assert.equal(s.calls[1]?.cursor, 'c1');
    s.answer(1, { items: [entry('a', 'deploy')], nextCursor: null });
    await more;
    assert.deepEqual([view()?.entries.map((e) => e.id), view()?.hasMore], [['b', 'a'], false]);
  });

  it('drops the answer of a load that a newer filter replaced', async () => {
    const s = scriptedApi();
    const t = new ProjectTimeline(s.api, 'p', () => undefined);
    const all = t.reload();
    const crashes = t.reload(['crash']);
    assert.deepEqual(s.calls.map((c) => c.kinds), [[], ['crash']]);
    s.answer(1, { items: [entry('c', 'crash')], nextCursor: null });
    s.answer(0, { items: [entry('d', 'deploy')], nextCursor: null });
    await Promise.all([all, crashes]);
    assert.deepEqual([t.view?.entries.map((e) => e.id), t.view?.kinds], [['c'], ['crash']]);
  });
});

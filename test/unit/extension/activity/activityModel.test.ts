import assert from 'node:assert/strict';
import type { ActivitySession } from '../../../../backend/contract';
import { ActivityModel } from '../../../../extension/activity/activityModel';
import { anEvent } from '../builders';

function aSession(over: Partial<ActivitySession> = {}): ActivitySession {
  return {
    projectId: 'p1', projectName: 'alpha', sessionId: 's1', parentSessionId: null, title: 'Fix tests', status: 'running',
    startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:01.000Z', durationMs: 0, runningSince: '2026-01-01T00:00:00.000Z',
    excerpt: null, error: null, filesChanged: null, ...over,
  };
}
const updated = (s: ActivitySession) => anEvent('activity.updated', { session: s });
const note = (kind: 'done' | 'failed' | 'needs-approval', sessionId = 's1', projectId = 'p1') =>
  anEvent('notification.created', { kind, projectId, sessionId, text: `${sessionId} ${kind}` });

describe('ActivityModel', () => {
  it('lists sessions across projects, most recently changed first, and keeps the newest copy of each', () => {
    const m = new ActivityModel();
    m.finishLoad([aSession(), aSession({ projectId: 'p2', sessionId: 's9', updatedAt: '2026-01-01T00:00:05.000Z' })]);
    m.apply(updated(aSession({ status: 'complete', updatedAt: '2026-01-01T00:00:09.000Z' })));
    m.apply(updated(aSession({ status: 'running', updatedAt: '2026-01-01T00:00:02.000Z' })));
    assert.deepEqual(m.sessions.map((s) => [s.sessionId, s.status]), [['s1', 'complete'], ['s9', 'running']]);
  });

  it('applies events that arrive during a fetch on top of its answer', () => {
    const m = new ActivityModel();
    m.beginLoad();
    m.apply(updated(aSession({ status: 'complete', updatedAt: '2026-01-01T00:00:09.000Z' })));
    assert.equal(m.sessions.length, 0, 'held');
    m.finishLoad([aSession()]);
    assert.equal(m.session('p1', 's1')?.status, 'complete');
  });

  it('counts sessions needing attention while the view is hidden, once per session, and clears when looked at', () => {
    const m = new ActivityModel();
    let changes = 0;
    m.onDidChange(() => changes++);
    assert.equal(m.apply(note('needs-approval'))?.kind, 'needs-approval');
    m.apply(note('done'));
    m.apply(note('failed', 's2'));
    assert.equal(m.badgeCount, 2);
    m.setVisible(true);
    assert.equal(m.badgeCount, 0);
    m.apply(note('done', 's3'));
    assert.equal(m.badgeCount, 0, 'the user is looking');
    m.setVisible(false);
    m.apply(note('done', 's3'));
    assert.equal(m.badgeCount, 1);
    assert.equal(changes, 4);
  });

  it("forgets a deleted project's sessions", () => {
    const m = new ActivityModel();
    m.finishLoad([aSession(), aSession({ projectId: 'p2', sessionId: 's2' })]);
    m.apply(note('done', 's2', 'p2'));
    m.apply(anEvent('project.deleted', { id: 'p2' }));
    assert.deepEqual([m.sessions.map((s) => s.sessionId), m.badgeCount], [['s1'], 0]);
  });
});

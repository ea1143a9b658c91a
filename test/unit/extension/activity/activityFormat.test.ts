import assert from 'node:assert/strict';
import type { ActivitySession } from '../../../../backend/contract';
import { activityRow, formatDuration, liveDuration } from '../../../../extension/activity/activityFormat';

const base: ActivitySession = {
  projectId: 'p1', projectName: 'alpha', sessionId: 's1', parentSessionId: null, title: 'Fix tests', status: 'complete',
  startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:01:00.000Z', durationMs: 65_000, runningSince: null,
  excerpt: 'All green.', error: null, filesChanged: 2,
};

describe('activity formatting', () => {
  it('formats durations as m:ss or h:mm:ss', () => {
    assert.deepEqual([formatDuration(0), formatDuration(42_400), formatDuration(725_000), formatDuration(3_723_000)], ['0:00', '0:42', '12:05', '1:02:03']);
  });

  it('adds the current run to a running session', () => {
    const running = { ...base, status: 'running' as const, durationMs: 1000, runningSince: '2026-01-01T00:00:00.000Z' };
    assert.equal(liveDuration(running, Date.parse('2026-01-01T00:00:10.000Z')), 11_000);
  });

  it('shows the project, status, duration, and the excerpt in the tooltip; the id never changes', () => {
    const row = activityRow(base, 0);
    assert.deepEqual([row.id, row.label, row.description, row.icon.id, row.contextValue], ['activity:p1:s1', 'Fix tests', 'alpha · complete · 1:05', 'pass', 'activity.complete']);
    assert.equal(row.tooltip, 'Fix tests\nProject: alpha\nStatus: complete\nRunning time: 1:05\nFiles changed: 2\n\nAll green.');
    assert.equal(activityRow({ ...base, status: 'error', error: 'quota', updatedAt: 'x' }, 0).id, row.id);
  });

  it('uses a spinner for running, a bell for approval, and marks subagents', () => {
    assert.equal(activityRow({ ...base, status: 'running', runningSince: '2026-01-01T00:00:00.000Z' }, Date.parse('2026-01-01T00:00:01.000Z')).icon.id, 'loading~spin');
    assert.equal(activityRow({ ...base, status: 'waiting_for_permission' }, 0).icon.id, 'bell-dot');
    const child = activityRow({ ...base, parentSessionId: 's0', title: '' }, 0);
    assert.equal(child.label, '↳ Untitled session');
    assert.match(child.tooltip, /\(subagent\)/);
  });

  it('marks a turn the user aborted "aborted" with a stop icon, never a green ✓ complete', () => {
    const row = activityRow({ ...base, error: 'aborted' }, 0);
    assert.deepEqual([row.description, row.icon], ['alpha · aborted · 1:05', { id: 'circle-slash', color: 'list.warningForeground' }]);
    assert.match(row.tooltip, /^Status: aborted$/m);
  });
});

import assert from 'node:assert/strict';
import type { ActivityNotification, ActivitySession } from '../../../../../backend/contract';
import { agentStateOf } from '../../../../../extension/activity/activityModel';
import { approvalOffered, NotificationCenter, summaryText, type NotificationSinks, type NotifySettings } from '../../../../../extension/activity/notifications/notificationCenter';
import { isQuiet, msUntilQuietEnds, parseQuietHours } from '../../../../../extension/activity/notifications/quietHours';
import { parseSessionLink } from '../../../../../extension/activity/notifications/sessionLink';
import { soundCommand, systemNotificationCommand } from '../../../../../extension/activity/notifications/systemNotification';
import { deliveryPick, webhookSummary } from '../../../../../extension/activity/notifications/deliveryFormat';
import { projectRow } from '../../../../../extension/projects/treeModel';
import { aProject } from '../../builders';

const at = (hhmm: string) => { const d = new Date(2026, 0, 15); const [h, m] = hhmm.split(':').map(Number); d.setHours(h!, m!, 0, 0); return d; };
const note = (over: Partial<ActivityNotification> = {}): ActivityNotification => ({ kind: 'done', projectId: 'p1', sessionId: 's1', text: 'p: "t" finished', ...over });

function harness(settings: Partial<NotifySettings> = {}, now = at('12:00')) {
  const calls: string[] = [];
  const state = { settings: { inApp: true, system: false, sound: false, quietHours: '', ...settings }, now };
  const sinks: NotificationSinks = {
    inApp: (n, actions) => calls.push(`inApp ${n.sessionId} [${actions.join(',')}]`),
    system: (n, sound) => calls.push(`system ${n.sessionId}${sound ? ' +sound' : ''}`),
    sound: () => calls.push('sound'),
    summary: (t) => calls.push(`summary ${t}`),
    invalidSetting: (m) => calls.push(`invalid ${m}`),
  };
  const center = new NotificationCenter({ settings: () => state.settings, now: () => state.now, sinks });
  return { center, calls, state };
}

describe('activity notifications (extension, no vscode)', () => {
  it('parses quiet hours, also across midnight, and tells when they end', () => {
    assert.equal(parseQuietHours(''), undefined);
    assert.deepEqual(parseQuietHours('22:00-07:00'), { start: 1320, end: 420 });
    assert.deepEqual(parseQuietHours(' 9:30 - 12:00 '), { start: 570, end: 720 });
    for (const bad of ['22-07', '25:00-07:00', '22:00', '10:00-10:00', '22:00-07:00-08:00']) assert.ok('error' in (parseQuietHours(bad) as object), bad);
    const night = parseQuietHours('22:00-07:00') as { start: number; end: number };
    assert.equal(isQuiet(night, at('23:30')), true);
    assert.equal(isQuiet(night, at('06:59')), true);
    assert.equal(isQuiet(night, at('07:00')), false);
    assert.equal(isQuiet(night, at('21:59')), false);
    assert.equal(msUntilQuietEnds(night, at('23:00')), 8 * 3600_000);
    assert.equal(msUntilQuietEnds(night, at('12:00')), 0);
  });

  it('raises in-app with Open Session; Approve/Reject only for a simple permission', () => {
    const { center, calls } = harness();
    assert.equal(center.offer(note(), false), 'shown');
    const simple = note({ kind: 'needs-approval', sessionId: 's2', permission: { id: 'per_1', name: 'bash', patterns: ['npm test'] } });
    assert.equal(center.offer(simple, false), 'shown');
    const many = note({ kind: 'needs-approval', sessionId: 's3', permission: { id: 'per_2', name: 'bash', patterns: ['a', 'b', 'c', 'd'] } });
    center.offer(many, false);
    assert.deepEqual(calls, ['inApp s1 [Open Session]', 'inApp s2 [Open Session,Approve,Reject]', 'inApp s3 [Open Session]']);
    assert.equal(approvalOffered(note({ kind: 'needs-approval' })), false, 'no request id: nothing to approve');
  });

  it("does not raise the notification of the session whose chat is in front", () => {
    const { center, calls } = harness();
    assert.equal(center.offer(note(), true), 'focused');
    assert.deepEqual(calls, []);
  });

  it('adds the system notification (with sound) or the sound alone, as set; all off raises nothing', () => {
    const sys = harness({ system: true, sound: true });
    sys.center.offer(note(), false);
    assert.deepEqual(sys.calls, ['inApp s1 [Open Session]', 'system s1 +sound']);
    const snd = harness({ sound: true });
    snd.center.offer(note(), false);
    assert.deepEqual(snd.calls, ['inApp s1 [Open Session]', 'sound']);
    const off = harness({ inApp: false });
    assert.equal(off.center.offer(note(), false), 'off');
    assert.deepEqual(off.calls, []);
  });

  it('holds notifications during quiet hours and shows one summary after them', () => {
    const { center, calls, state } = harness({ quietHours: '22:00-07:00' }, at('23:00'));
    assert.equal(center.offer(note(), false), 'held');
    assert.equal(center.offer(note({ kind: 'failed', sessionId: 's2' }), false), 'held');
    assert.equal(center.offer(note({ kind: 'done', sessionId: 's3' }), false), 'held');
    assert.deepEqual(calls, []);
    assert.equal(center.msUntilFlush(), 8 * 3600_000);
    assert.equal(center.flushIfQuietEnded(), false, 'still quiet');
    state.now = at('07:01');
    assert.equal(center.flushIfQuietEnded(), true);
    assert.deepEqual(calls, ['summary While quiet hours were on: 3 session notifications (2 finished, 1 failed).']);
    assert.equal(center.heldCount, 0);
    assert.equal(center.flushIfQuietEnded(), false, 'once');
  });

  it('says once that a bad quietHours value is ignored', () => {
    const { center, calls } = harness({ quietHours: 'nightly' });
    center.offer(note(), false);
    center.offer(note({ sessionId: 's2' }), false);
    assert.equal(calls.filter((c) => c.startsWith('invalid')).length, 1);
    assert.match(calls[0]!, /hangar.notifications.quietHours: "nightly" is not a range/);
  });

  it('sums up held notifications per kind', () => {
    assert.equal(summaryText([note({ kind: 'needs-approval' })]), 'While quiet hours were on: 1 session notification (1 needs approval).');
  });

  it('builds OS notification commands as argv, never a shell line', () => {
    assert.deepEqual(systemNotificationCommand('linux', 'Hangar: done', 'p: "x" finished', false), { file: 'notify-send', args: ['--app-name=Hangar', '--', 'Hangar: done', 'p: "x" finished'] });
    assert.deepEqual(systemNotificationCommand('linux', 't', '-rf', true)!.args, ['--app-name=Hangar', '--hint=string:sound-name:message-new-instant', '--', 't', '-rf']);
    assert.deepEqual(systemNotificationCommand('darwin', 'T', 'say "hi" \\ bye', true), { file: 'osascript', args: ['-e', 'display notification "say \\"hi\\" \\\\ bye" with title "T" sound name "Glass"'] });
    assert.match(systemNotificationCommand('win32', "it's", 'b', false)!.args[3]!, /ShowBalloonTip\(5000, 'it''s', 'b', 'Info'\)/);
    assert.equal(systemNotificationCommand('aix', 't', 'b', false), undefined);
    assert.equal(soundCommand('linux')!.file, 'canberra-gtk-play');
  });

  it('reads session deep links strictly', () => {
    assert.deepEqual(parseSessionLink(new URLSearchParams('project=p-1&session=ses_abc')), { projectId: 'p-1', sessionId: 'ses_abc' });
    assert.ok('error' in parseSessionLink(new URLSearchParams('project=p-1')));
    assert.ok('error' in parseSessionLink(new URLSearchParams('project=../x&session=s')));
  });

  it('words deliveries and the webhook without its path or secret', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const pick = deliveryPick({
      id: 'd', createdAt: '2026-01-01T11:59:00Z', kind: 'done', projectId: 'p', projectName: 'api', sessionId: 's', status: 'pending',
      statusCode: 503, attempts: 2, error: 'the receiver answered HTTP 503', nextRetryAt: '2026-01-01T12:00:40Z',
    }, now);
    assert.equal(pick.label, '$(sync) api: session finished');
    assert.equal(pick.description, 'pending · HTTP 503 · 2 attempts · next try in 40 s');
    assert.match(pick.detail, /the receiver answered HTTP 503$/);
    assert.equal(webhookSummary({ url: 'https://ntfy.example.com/topic-secret-name', kinds: ['done', 'needs-approval'], hasSecret: true, updatedAt: '' }),
      'https://ntfy.example.com/… (finished, needs approval; signed)');
  });

  it("gives each project's agent state from its sessions", () => {
    const s = (projectId: string, status: ActivitySession['status'], updatedAt: string, parent: string | null = null): ActivitySession => ({
      projectId, projectName: projectId, sessionId: `${projectId}-${updatedAt}`, parentSessionId: parent, title: '', status, startedAt: updatedAt, updatedAt,
      durationMs: 0, runningSince: null, excerpt: null, error: null, filesChanged: null,
    });
    const all = [
      s('a', 'running', '1'), s('a', 'waiting_for_permission', '2'),
      s('b', 'running', '1'), s('b', 'complete', '2'),
      s('c', 'error', '2'), s('c', 'complete', '1'),
      s('d', 'complete', '2'), s('d', 'error', '3', 'd-2'),
    ];
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((p) => agentStateOf(all, p)), ['needs-approval', 'busy', 'error', 'idle', 'idle']);
  });

  it('the Projects tree shows the agent state next to a running container, and not for a stopped one', () => {
    const running = projectRow(aProject({ id: 'p1', name: 'web', status: 'running' }), undefined, undefined, 'needs-approval');
    assert.match(running.description!, / · running · agent needs approval$/);
    assert.match(running.tooltip!, /Agent: needs approval/);
    const stopped = projectRow(aProject({ id: 'p1', name: 'web', status: 'stopped' }), undefined, undefined, 'busy');
    assert.doesNotMatch(`${stopped.description} ${stopped.tooltip}`, /agent/i);
  });
});

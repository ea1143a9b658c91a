import assert from 'node:assert/strict';
import { TicketStore } from '../../../../backend/vnc/ticketStore';

describe('VNC ticket store', () => {
  let now = 1_000_000;
  const store = () => new TicketStore(() => now);

  it('issues 256-bit url-safe tickets that live at most 60 s', () => {
    const s = store();
    const a = s.issue('u1', 'p1');
    const b = s.issue('u1', 'p1');
    assert.match(a.ticket, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.ticket, b.ticket);
    assert.equal(a.expiresAt, now + 60_000);
    assert.throws(() => new TicketStore(() => now, 61_000), /at most 60000/);
  });

  it('redeems once, bound to its project, and says why it refuses', () => {
    const s = store();
    const t = s.issue('u1', 'p1');
    assert.deepEqual(s.redeem(t.ticket, 'p1'), { ok: true, userId: 'u1', projectId: 'p1' });
    assert.deepEqual(s.redeem(t.ticket, 'p1'), { ok: false, reason: 'unknown' });
    assert.deepEqual(s.redeem(undefined, 'p1'), { ok: false, reason: 'missing' });
    assert.deepEqual(s.redeem('not-a-ticket', 'p1'), { ok: false, reason: 'unknown' });
    const other = s.issue('u1', 'p2');
    assert.deepEqual(s.redeem(other.ticket, 'p1'), { ok: false, reason: 'wrong_project' });
    assert.deepEqual(s.redeem(other.ticket, 'p2'), { ok: false, reason: 'unknown' }, 'a ticket tried on the wrong project is spent');
  });

  it('refuses an expired ticket as expired, and forgets it later', () => {
    const s = store();
    const t = s.issue('u1', 'p1');
    now += 60_000;
    assert.deepEqual(s.redeem(t.ticket, 'p1'), { ok: false, reason: 'expired' });
    const u = s.issue('u1', 'p1');
    assert.equal(s.size, 1);
    now += 10 * 60_000;
    s.issue('u1', 'p1');
    assert.deepEqual(s.redeem(u.ticket, 'p1'), { ok: false, reason: 'unknown' });
  });
});

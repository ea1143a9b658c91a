import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from '../../../../backend/activity/signature';

describe('webhook signature', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const ts = String(now / 1000);

  it('is sha256=<hex HMAC of "<timestamp>.<body>">', () => {
    const expected = createHmac('sha256', 'k').update(`${ts}.{"a":1}`).digest('hex');
    assert.equal(signWebhook('k', ts, '{"a":1}'), `sha256=${expected}`);
  });

  it('accepts a fresh signature and rejects anything else with a reason', () => {
    const sig = signWebhook('k', ts, 'body');
    assert.deepEqual(verifyWebhook('k', ts, sig, 'body', now), { ok: true });
    assert.deepEqual(verifyWebhook('k', ts, sig, 'body', now + 299_000), { ok: true });
    assert.deepEqual(verifyWebhook('k', ts, sig, 'body', now + 301_000), { ok: false, reason: 'timestamp outside the window' });
    assert.deepEqual(verifyWebhook('k', ts, sig, 'body', now - 301_000), { ok: false, reason: 'timestamp outside the window' });
    assert.deepEqual(verifyWebhook('other', ts, sig, 'body', now), { ok: false, reason: 'bad signature' });
    assert.deepEqual(verifyWebhook('k', ts, sig, 'body!', now), { ok: false, reason: 'bad signature' });
    assert.deepEqual(verifyWebhook('k', ts, 'sha256=abc', 'body', now), { ok: false, reason: 'bad signature' });
    assert.deepEqual(verifyWebhook('k', undefined, sig, 'body', now), { ok: false, reason: 'unsigned' });
    assert.deepEqual(verifyWebhook('k', '1e9', sig, 'body', now), { ok: false, reason: 'bad timestamp' });
  });
});

import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../../backend/config';

describe('lease times (HANGAR_LEASE_*)', () => {
  it('default to a 2 s renewal and 6 s leases, as before they were configurable', () => {
    assert.deepEqual(loadConfig({}).leases, { renewMs: 2000, operationMs: 6000, jobMs: 6000 });
  });

  it('are read from the environment', () => {
    const c = loadConfig({ HANGAR_LEASE_RENEW_MS: '500', HANGAR_LEASE_OPERATION_MS: '1500', HANGAR_LEASE_JOB_MS: '30000' });
    assert.deepEqual(c.leases, { renewMs: 500, operationMs: 1500, jobMs: 30000 });
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ HANGAR_LEASE_RENEW_MS: 'soon' }, /^HANGAR_LEASE_RENEW_MS="soon" is invalid/],
    [{ HANGAR_LEASE_RENEW_MS: '10' }, /^HANGAR_LEASE_RENEW_MS="10" is invalid: .*100/],
    [{ HANGAR_LEASE_JOB_MS: '1.5' }, /^HANGAR_LEASE_JOB_MS="1.5" is invalid/],
    [{ HANGAR_LEASE_OPERATION_MS: '3000' }, /^HANGAR_LEASE_OPERATION_MS=3000 is invalid: a lease must last at least twice HANGAR_LEASE_RENEW_MS \(2000\)/],
    [{ HANGAR_LEASE_RENEW_MS: '5000' }, /^HANGAR_LEASE_OPERATION_MS=6000 is invalid: .*\(5000\)/],
    [{ HANGAR_LEASE_RENEW_MS: '1000', HANGAR_LEASE_JOB_MS: '1999' }, /^HANGAR_LEASE_JOB_MS=1999 is invalid/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} in one line naming the variable`, () => {
      assert.throws(() => loadConfig(env), (err: Error) => err instanceof ConfigError && message.test(err.message));
    });
  }
});

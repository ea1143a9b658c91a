import assert from 'node:assert/strict';
import { Expired, outcome } from '../../../../backend/oauth/deviceFlow';

describe('device flow outcome', () => {
  it("maps GitHub's error bodies, and our own expiry even when octokit wraps it", () => {
    const github = (error: string) => Object.assign(new Error(`${error} (x)`), { response: { data: { error } } });
    assert.equal(outcome(github('expired_token')).status, 'expired');
    assert.equal(outcome(github('access_denied')).status, 'denied');
    assert.equal(outcome(Object.assign(new Error('the device code expired'), { cause: new Expired('the device code expired') })).status, 'expired');
    const other = outcome(new Error('getaddrinfo ENOTFOUND github.example.com'));
    assert.equal(other.status, 'error');
    assert.match(other.message, /ENOTFOUND github\.example\.com.*Start the sign-in again/);
  });
});

import assert from 'node:assert/strict';
import { errorFromResponse } from '../../../../backend/runtime/coolify/errors';
import { deploymentLogTail, describeApp, endpointsFor, endpointsFromFqdn, envItems, newLogLines, portsFor, projectIdOf, stateOf } from '../../../../backend/runtime/coolify/mapping';
import { desktopTier, tier } from '../../../integration/runtime/coolifySupport';

describe('coolify mapping', () => {
  it('keeps the project id in the description and reads it back', () => {
    assert.equal(projectIdOf(describeApp('prj_x-1')), 'prj_x-1');
    assert.equal(projectIdOf('someone else\'s app'), undefined);
    assert.equal(projectIdOf(null), undefined);
  });

  it('routes the agent domain to 4096 and, for desktops, vnc-<slug> to 6080', () => {
    assert.deepEqual(endpointsFor({ scheme: 'https', host: 'a.test' }, 'p1', false), { domains: 'https://p1.a.test:4096', agentUrl: 'https://p1.a.test' });
    assert.deepEqual(endpointsFor({ scheme: 'https', host: 'a.test' }, 'p1', true), {
      domains: 'https://p1.a.test:4096,https://vnc-p1.a.test:6080', agentUrl: 'https://p1.a.test', vncUrl: 'wss://vnc-p1.a.test',
    });
    assert.deepEqual(endpointsFromFqdn('https://p1.a.test:4096,https://vnc-p1.a.test:6080'), { agentUrl: 'https://p1.a.test', vncUrl: 'wss://vnc-p1.a.test' });
    assert.deepEqual(endpointsFromFqdn(null), {});
  });

  it('always exposes 4096, and 6080 for desktop tiers', () => {
    assert.equal(portsFor(tier()), '4096');
    assert.equal(portsFor(tier({ exposedPorts: '8080,4096' })), '4096,8080');
    assert.equal(portsFor(desktopTier()), '4096,6080');
    assert.equal(portsFor(tier({ imageType: 'desktop', exposedPorts: '4096' })), '4096,6080');
  });

  it('marks values with $ literal and values with newlines multiline, sorted by key', () => {
    assert.deepEqual(envItems({ B: 'a$b', A: 'plain', C: 'x\ny' }), [
      { key: 'A', value: 'plain' },
      { key: 'B', value: 'a$b', is_literal: true },
      { key: 'C', value: 'x\ny', is_multiline: true },
    ]);
  });

  it('maps Coolify statuses, telling a stop from a crash only when Hangar stopped it', () => {
    assert.deepEqual(stateOf('running:healthy', false), { state: 'running' });
    assert.equal(stateOf('running:unhealthy', false).reason, 'Coolify reports the container as unhealthy.');
    assert.equal(stateOf('degraded:unhealthy', false).state, 'running');
    assert.equal(stateOf('restarting:unknown', false).state, 'starting');
    assert.deepEqual(stateOf('exited:unhealthy', true), { state: 'stopped' });
    assert.deepEqual(stateOf('exited:unhealthy', false), { state: 'exited', reason: 'Coolify reports exited:unhealthy: the container is not running.' });
    assert.equal(stateOf('created', false).state, 'created');
    assert.equal(stateOf('weird', false).state, 'exited');
  });

  it('finds the new lines between two tails of a growing log', () => {
    assert.deepEqual(newLogLines([], ['a', 'b']), ['a', 'b']);
    assert.deepEqual(newLogLines(['a', 'b', 'c'], ['b', 'c', 'd', 'e']), ['d', 'e']);
    assert.deepEqual(newLogLines(['a', 'b'], ['a', 'b']), []);
    assert.deepEqual(newLogLines(['a', 'b'], ['x', 'y']), ['x', 'y'], 'a new container: all of it is new');
  });

  it('reads the visible lines of a deployment log, JSON or plain', () => {
    const json = JSON.stringify([{ output: 'one', hidden: false }, { output: 'secret cmd', hidden: true }, { output: 'two\nthree' }]);
    assert.deepEqual(deploymentLogTail(json, 2), ['two', 'three']);
    assert.deepEqual(deploymentLogTail('a\nb\n', 5), ['a', 'b']);
    assert.deepEqual(deploymentLogTail(null, 5), []);
  });

  it('turns each Coolify error into a message that says what to do', () => {
    const at = 'https://c.test';
    assert.equal(errorFromResponse(403, { message: 'API is disabled.' }, 'list applications', at).code, 'coolify_api_disabled');
    assert.match(errorFromResponse(403, { message: 'Missing ability.' }, 'deploy', at).message, /read, write and deploy permissions/);
    assert.equal(errorFromResponse(400, { message: 'Invalid token.' }, 'x', at).code, 'coolify_bad_token');
    assert.equal(errorFromResponse(400, { message: 'Something else.' }, 'x', at).code, 'coolify_error');
    assert.match(errorFromResponse(422, { message: 'Validation failed.', errors: { a: ['A bad.'], b: ['B bad.', 'B worse.'] } }, 'create the application', at).message,
      /^Coolify rejected the request to create the application: a: A bad\.; b: B bad\. B worse\./);
    assert.match(errorFromResponse(404, { message: 'Server not found.' }, 'create the application', at).message, /check HANGAR_COOLIFY_SERVER_UUID/);
    assert.match(errorFromResponse(503, undefined, 'deploy', at).message, /Check Coolify's own logs/);
    const e = errorFromResponse(422, { message: 'x', errors: {} }, 'y', at);
    assert.equal(e.status, 502);
    assert.equal(e.expose, true);
  });
});

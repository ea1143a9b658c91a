import assert from 'node:assert/strict';
import type { CoolifyDriver } from '../../../backend/runtime/coolify/coolifyDriver';
import { CoolifyError } from '../../../backend/runtime/coolify/errors';
import { createLogger } from '../../../backend/logger';
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';
import { calls, desktopTier, driverFor, never, progressLog, spec } from './coolifySupport';

describe('coolify driver against the Coolify contract server', () => {
  let server: CoolifyContractServer;
  let driver: CoolifyDriver;

  beforeEach(async () => {
    server = await startCoolifyServer({ stepMs: 30 });
    driver = driverFor(server);
  });
  afterEach(async () => {
    await driver.close();
    await server.close();
    assert.deepEqual(server.violations, [], 'every answer the contract server sent matched the spec');
  });

  const onlyApp = () => {
    const apps = [...server.state.apps.values()];
    assert.equal(apps.length, 1);
    return apps[0]!;
  };
  const bodyOf = (method: string, pathEnd: string) => server.requests.find((r) => r.method === method && r.path.endsWith(pathEnd))?.body;

  it('deploys a cli project: creates it from the image with the tier limits, sets env, deploys, waits for running', async () => {
    const { messages, progress } = progressLog();
    const status = await driver.deploy(spec(), progress, never());
    const app = onlyApp();

    assert.deepEqual(bodyOf('POST', '/applications/dockerimage'), {
      project_uuid: server.projectUuid,
      server_uuid: server.serverUuid,
      environment_name: 'production',
      name: 'hangar-alpha',
      description: 'Hangar agent [hangar-project=prj_alpha01]. Managed by Hangar: deploy, stop and delete it from Hangar.',
      docker_registry_image_name: 'ghcr.io/hangar-dev/agent',
      docker_registry_image_tag: '1.18.33',
      ports_exposes: '4096',
      domains: 'https://alpha.agents.test:4096',
      limits_cpus: '2',
      limits_memory: '4g',
      limits_memory_reservation: '1g',
      health_check_enabled: false,
      instant_deploy: false,
    });
    assert.deepEqual(bodyOf('PATCH', '/envs/bulk'), {
      data: [
        { key: 'OPENCODE_AUTH_CONTENT', value: '{"openai":{"type":"api","key":"sk-$abc"}}', is_literal: true },
        { key: 'OPENCODE_SERVER_PASSWORD', value: 'pw-1' },
      ],
    });
    assert.deepEqual(server.requests.find((r) => r.path.endsWith('/deploy'))?.query, { uuid: app.uuid, force: 'false' });
    assert.deepEqual(calls(server), [
      'GET /applications',
      'POST /applications/dockerimage',
      'PATCH /applications/:uuid/envs/bulk',
      'POST /deploy',
      'GET /deployments/:uuid',
      'GET /applications/:uuid',
    ]);
    assert.equal(status.state, 'running');
    assert.equal(status.agentUrl, 'https://alpha.agents.test');
    assert.equal(status.vncUrl, undefined);
    assert.equal(status.instanceId, app.uuid);
    assert.equal(app.status, 'running:healthy');
    const deployment = server.requests.find((r) => r.path.endsWith('/deploy'))!.response as { deployments: { deployment_uuid: string }[] };
    const d = deployment.deployments[0]!.deployment_uuid;
    for (const step of ['queued', 'in progress', 'finished']) assert.ok(messages.includes(`Deploy ${d} on Coolify: ${step}`), `${step} in ${messages.join('\n')}`);
    assert.ok(messages.includes('Waiting for Coolify to report the application running'));
  });

  it('gives a desktop tier the desktop image, ports 4096,6080 and a second domain for VNC', async () => {
    const status = await driver.deploy(spec({ slug: 'desk', projectId: 'prj_desk01', tier: desktopTier() }), () => {}, never());
    const body = bodyOf('POST', '/applications/dockerimage') as Record<string, unknown>;
    assert.equal(body.docker_registry_image_name, 'ghcr.io/hangar-dev/agent-desktop');
    assert.equal(body.ports_exposes, '4096,6080');
    assert.equal(body.domains, 'https://desk.agents.test:4096,https://vnc-desk.agents.test:6080');
    assert.equal(status.agentUrl, 'https://desk.agents.test');
    assert.equal(status.vncUrl, 'wss://vnc-desk.agents.test');
    // The same URLs come back from Coolify's own record, e.g. after an API restart.
    const fresh = driverFor(server);
    const again = await fresh.status('prj_desk01');
    await fresh.close();
    assert.deepEqual([again.agentUrl, again.vncUrl], ['https://desk.agents.test', 'wss://vnc-desk.agents.test']);
  });

  it('runs the whole lifecycle: stop, logs, start, restart (a redeploy), force deploy, remove with volumes', async () => {
    await driver.deploy(spec(), () => {}, never());
    const app = onlyApp();

    let mark = server.requests.length;
    const stopped = await driver.stop('prj_alpha01', () => {});
    assert.equal(stopped.state, 'stopped');
    assert.equal(app.status, 'exited:unhealthy');
    assert.deepEqual(calls(server, mark).slice(0, 2), ['POST /applications/:uuid/stop', 'GET /applications/:uuid']);

    assert.deepEqual(await driver.logsWithReason('prj_alpha01', 50), { lines: [], reason: 'Coolify says the application is not running, so it has no container logs.' });

    mark = server.requests.length;
    const started = await driver.start('prj_alpha01', () => {}, never());
    assert.equal(started.state, 'running');
    assert.equal(calls(server, mark)[0], 'POST /applications/:uuid/start');

    const restart = progressLog();
    mark = server.requests.length;
    const restarted = await driver.restart('prj_alpha01', restart.progress, never());
    assert.equal(restarted.state, 'running');
    assert.equal(calls(server, mark)[0], 'POST /applications/:uuid/restart');
    assert.match(restart.messages[0]!, /^Restarting on Coolify, which means a full redeploy/);
    assert.ok(restart.messages.some((m) => /^Restart \(redeploy\) [0-9a-f]{24} on Coolify: finished$/.test(m)), restart.messages.join('\n'));

    const force = progressLog();
    mark = server.requests.length;
    await driver.deploy(spec({ force: true, env: { OPENCODE_SERVER_PASSWORD: 'pw-2' } }), force.progress, never());
    assert.deepEqual(calls(server, mark).slice(0, 3), ['PATCH /applications/:uuid', 'PATCH /applications/:uuid/envs/bulk', 'POST /deploy']);
    assert.deepEqual(server.requests.filter((r) => r.path.endsWith('/deploy')).at(-1)?.query, { uuid: app.uuid, force: 'true' });
    assert.ok(force.messages.includes('Asking Coolify to force-rebuild and redeploy'));
    assert.ok(force.messages.some((m) => m.startsWith('Force deploy ')));
    assert.equal(app.envs.get('OPENCODE_SERVER_PASSWORD')?.value, 'pw-2');
    assert.equal(server.state.apps.size, 1, 'a redeploy updates the same application');

    const logs = await driver.logs('prj_alpha01', 2);
    assert.equal(logs.length, 2);
    assert.match(logs[1]!, /^opencode server listening on http:\/\/0\.0\.0\.0:4096/);
    assert.match(server.requests.filter((r) => r.path.endsWith('/logs')).at(-1)!.query.lines!, /^2$/);

    mark = server.requests.length;
    await driver.remove('prj_alpha01', { volumes: true }, () => {});
    assert.deepEqual(server.requests[mark]?.query, { delete_configurations: 'true', delete_volumes: 'true', docker_cleanup: 'true', delete_connected_networks: 'true' });
    assert.equal(server.state.apps.size, 0);
    assert.deepEqual(await driver.status('prj_alpha01'), { state: 'absent' });
    assert.deepEqual(await driver.list(), []);
  });

  it('keeps the volumes when asked to', async () => {
    await driver.deploy(spec(), () => {}, never());
    await driver.remove('prj_alpha01', { volumes: false }, () => {});
    assert.equal(server.requests.find((r) => r.method === 'DELETE')?.query.delete_volumes, 'false');
  });

  it('finds its applications again from a new driver instance (API restart) through GET /applications', async () => {
    await driver.deploy(spec(), () => {}, never());
    await driver.deploy(spec({ projectId: 'prj_beta002', slug: 'beta' }), () => {}, never());
    await server.raw('POST', '/api/v1/applications/dockerimage', {
      project_uuid: server.projectUuid, server_uuid: server.serverUuid, environment_name: 'production',
      docker_registry_image_name: 'nginx', ports_exposes: '80', name: 'not-hangar', description: 'someone else\'s app',
    });
    await driver.close();

    driver = driverFor(server);
    const found = (await driver.list()).sort((a, b) => a.projectId.localeCompare(b.projectId));
    assert.deepEqual(found.map((f) => [f.projectId, f.status.state, f.status.agentUrl]), [
      ['prj_alpha01', 'running', 'https://alpha.agents.test'],
      ['prj_beta002', 'running', 'https://beta.agents.test'],
    ]);
    const stopped = await driver.stop('prj_beta002', () => {});
    assert.equal(stopped.state, 'stopped');
  });

  it('reports a container that died as exited, and watch() tells subscribers while they listen', async () => {
    await driver.deploy(spec(), () => {}, never());
    const seen: [string, string][] = [];
    const before = server.requests.length;
    const unsubscribe = driver.watch((id, s) => seen.push([id, s.state]));
    // Two polls done means the baseline is set: the crash is then a change.
    const polls = () => server.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/api/v1/applications').length;
    for (const t0 = Date.now(); polls() < 2 && Date.now() - t0 < 2000;) await new Promise((r) => setTimeout(r, 10));
    server.crash(onlyApp().uuid);
    const until = Date.now() + 2000;
    while (!seen.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, [['prj_alpha01', 'exited']]);
    const status = await driver.status('prj_alpha01');
    assert.equal(status.state, 'exited');
    assert.match(status.reason!, /exited:unhealthy/);

    unsubscribe();
    await new Promise((r) => setTimeout(r, 60));
    const count = server.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.requests.length, count, 'no polling once nobody listens');
  });

  it('follows the logs, including the new container after a redeploy', async () => {
    await driver.deploy(spec(), () => {}, never());
    const lines: string[] = [];
    const ac = new AbortController();
    const following = driver.followLogs('prj_alpha01', (l) => lines.push(l), ac.signal);
    await new Promise((r) => setTimeout(r, 80));
    onlyApp().logs.push('session ses_1 started');
    await driver.restart('prj_alpha01', () => {}, never());
    await new Promise((r) => setTimeout(r, 120));
    ac.abort();
    await following;
    assert.equal(lines.filter((l) => l === 'session ses_1 started').length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l.startsWith('opencode server listening')).length, 2, lines.join('\n'));
  });

  it('cancels the Coolify deployment when the operation is cancelled', async () => {
    const ac = new AbortController();
    const { messages, progress } = progressLog();
    const deploying = driver.deploy(spec(), (m) => {
      progress(m);
      if (m.endsWith(': queued')) ac.abort(new Error('Cancelled by the user.'));
    }, ac.signal);
    await assert.rejects(deploying, /Cancelled by the user/);
    assert.ok(server.requests.some((r) => r.method === 'POST' && /\/deployments\/[0-9a-f]{24}\/cancel$/.test(r.path)));
    assert.ok(messages.some((m) => m.startsWith('Cancelled Coolify deployment')));
  });

  it('never logs the token, whatever happens', async () => {
    const lines: string[] = [];
    const logged = driverFor(server, {}, { logger: createLogger('debug', (l) => lines.push(l)) });
    await logged.deploy(spec(), () => {}, never());
    server.fail({ kind: 'api-disabled' });
    const ac = new AbortController();
    const following = logged.followLogs('prj_alpha01', () => {}, ac.signal);
    await new Promise((r) => setTimeout(r, 80));
    ac.abort();
    await following;
    await logged.close();
    assert.ok(lines.length >= 2, lines.join('\n'));
    const secret = server.token.split('|')[1]!;
    assert.deepEqual(lines.filter((l) => l.includes(secret)), []);
  });

  it('execs through the agent (not Coolify), so without project passwords or a running agent it says why it cannot', async () => {
    await assert.rejects(driver.exec('prj_alpha01', ['git', 'status']), (err: Error) => {
      assert.ok(err instanceof CoolifyError);
      assert.equal(err.code, 'coolify_exec_unsupported');
      assert.match(err.message, /Coolify's API cannot run commands/);
      return true;
    });
    const withPasswords = driverFor(server, {}, { agentPassword: async () => 'pw' });
    await assert.rejects(withPasswords.exec('prj_nothing', ['git', 'status']), /not running on Coolify \(absent\): start it/);
    await withPasswords.close();
  });

  it('start on a project Coolify does not have says to deploy first', async () => {
    await assert.rejects(driver.start('prj_nothing', () => {}, never()), /no application in Coolify yet: deploy it first/);
  });

  describe('failure modes become clear messages', () => {
    const rejectsWith = async (promise: Promise<unknown>, code: string, message: RegExp) => {
      await assert.rejects(promise, (err: Error) => {
        assert.ok(err instanceof CoolifyError, `a CoolifyError, got ${err.stack}`);
        assert.equal(err.code, code);
        assert.match(err.message, message);
        assert.ok(!err.message.includes(server.token) && !err.message.includes(server.token.split('|')[1]!), 'the token never reaches a message');
        return true;
      });
    };

    it('403 "API is disabled." says an admin must enable the API', async () => {
      server.fail({ kind: 'api-disabled' });
      await rejectsWith(driver.deploy(spec(), () => {}, never()), 'coolify_api_disabled', /has its API disabled\. An admin must enable API access in Coolify \(Settings → Advanced → API Access\)/);
    });

    it('401 and 400 "Invalid token." say to set a new HANGAR_COOLIFY_TOKEN', async () => {
      server.fail({ kind: 'bad-token' });
      await rejectsWith(driver.status('prj_alpha01'), 'coolify_bad_token', /rejected the API token \(401 \("Unauthenticated\."\)\)\. Create a token .* set HANGAR_COOLIFY_TOKEN/);
      server.fail({ kind: 'bad-token', status: 400 });
      await rejectsWith(driver.list(), 'coolify_bad_token', /rejected the API token \(400 \("Invalid token\."\)\)/);
    });

    it('a wrong token in the config is caught the same way', async () => {
      const wrong = driverFor(server, { HANGAR_COOLIFY_TOKEN: '9|not-the-right-one' });
      await rejectsWith(wrong.list(), 'coolify_bad_token', /HANGAR_COOLIFY_TOKEN/);
      await wrong.close();
    });

    it('429 waits Retry-After seconds and retries, within a bound', async () => {
      server.fail({ kind: 'rate-limit', retryAfter: 1, times: 1 });
      const t0 = Date.now();
      assert.deepEqual(await driver.list(), []);
      assert.ok(Date.now() - t0 >= 950, 'waited the Retry-After');
      assert.deepEqual(server.requests.map((r) => r.status), [429, 200]);
    });

    it('429 for too long ends in a clear error', async () => {
      server.fail({ kind: 'rate-limit', retryAfter: 60 });
      await rejectsWith(driver.list(), 'coolify_rate_limited', /asks it to wait 60 s .* longer than Hangar waits \(3 s\)\. Retry later/);
      server.fail({ kind: 'rate-limit', retryAfter: 0 });
      await rejectsWith(driver.list(), 'coolify_rate_limited', /kept rate-limiting Hangar \(429, Retry-After 0 s\) after 3 tries/);
    });

    it('a failed deployment names the deployment and quotes its log', async () => {
      server.fail({ kind: 'deployment-failure' });
      await rejectsWith(driver.deploy(spec(), () => {}, never()), 'coolify_deployment_failed',
        /^Coolify's deployment [0-9a-f]{24} failed\. Last lines of its log: .*manifest for ghcr\.io\/hangar-dev\/agent:1\.18\.33 not found/);
      assert.equal((await driver.status('prj_alpha01')).state, 'exited');
    });

    it('409 domain conflicts name the domain, the other resource and what to change', async () => {
      server.fail({ kind: 'domain-conflict' });
      await rejectsWith(driver.deploy(spec(), () => {}, never()), 'coolify_domain_conflict',
        /the domain alpha\.agents\.test \(used by 'someone-else', other000000000000000000001\) is already in use\. .*HANGAR_COOLIFY_DOMAIN/);
      server.heal();
      // A real conflict from state: another project wants the same slug.
      await driver.deploy(spec(), () => {}, never());
      await rejectsWith(driver.deploy(spec({ projectId: 'prj_other01' }), () => {}, never()), 'coolify_domain_conflict', /alpha\.agents\.test \(used by 'hangar-alpha'/);
    });

    it('422 lists the fields Coolify rejected', async () => {
      await rejectsWith(driver.deploy(spec({ env: { '': 'x', GOOD: 'y' } }), () => {}, never()), 'coolify_validation',
        /^Coolify rejected the request to set the environment of application [0-9a-f]{24}: data\.0\.key: The key field is required\./);
    });

    it('404 on a wrong project uuid points at the variable', async () => {
      const wrong = driverFor(server, { HANGAR_COOLIFY_PROJECT_UUID: 'nope' });
      await rejectsWith(wrong.deploy(spec(), () => {}, never()), 'coolify_not_found', /Project not found\. — check HANGAR_COOLIFY_PROJECT_UUID\./);
      await wrong.close();
    });

    it('an unreachable instance says so', async () => {
      const closed = await startCoolifyServer();
      await closed.close();
      const gone = driverFor(server, { HANGAR_COOLIFY_URL: closed.url });
      await rejectsWith(gone.list(), 'coolify_unreachable', /^Cannot reach Coolify at http:\/\/127\.0\.0\.1:[0-9]+ to list applications \(ECONNREFUSED\)\. Check HANGAR_COOLIFY_URL/);
      await gone.close();
    });
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';

/** The stand-in is only worth something if it refuses what real Coolify's spec refuses. */
describe('Coolify contract server (the stand-in itself)', () => {
  let server: CoolifyContractServer;
  beforeEach(async () => {
    server = await startCoolifyServer({ stepMs: 20 });
  });
  afterEach(() => server.close());

  const create = (over: Record<string, unknown> = {}) => ({
    project_uuid: server.projectUuid,
    server_uuid: server.serverUuid,
    environment_name: 'production',
    docker_registry_image_name: 'ghcr.io/hangar-dev/agent',
    ports_exposes: '4096',
    instant_deploy: false,
    ...over,
  });

  it('serves a verbatim copy of the shared contract', () => {
    const copy = fs.readFileSync(path.join(__dirname, '../../fixtures/coolify/coolify-openapi.yaml'), 'utf8');
    assert.match(copy, /^# Slice of coollabsio\/coolify openapi.yaml/);
    assert.match(copy, /operationId: create-dockerimage-application/);
  });

  it('answers unknown fields with 422 naming them, like Coolify', async () => {
    const res = await server.raw('POST', '/api/v1/applications/dockerimage', create({ memory: '4g', cpus: 2 }));
    assert.equal(res.status, 422);
    assert.deepEqual(res.body, { message: 'Validation failed.', errors: { memory: ['This field is not allowed.'], cpus: ['This field is not allowed.'] } });
    assert.equal(server.state.apps.size, 0);
  });

  it('rejects wrong types and missing required fields', async () => {
    const typed = await server.raw('POST', '/api/v1/applications/dockerimage', create({ limits_cpus: 2, instant_deploy: 'no' }));
    assert.equal(typed.status, 422);
    assert.deepEqual(Object.keys((typed.body as { errors: object }).errors).sort(), ['instant_deploy', 'limits_cpus']);
    const missing = await server.raw('POST', '/api/v1/applications/dockerimage', { project_uuid: server.projectUuid, server_uuid: server.serverUuid });
    assert.equal(missing.status, 422);
    assert.ok('docker_registry_image_name' in (missing.body as { errors: object }).errors);
    const noEnv = await server.raw('POST', '/api/v1/applications/dockerimage', create({ environment_name: undefined }));
    assert.equal(noEnv.status, 422, 'one of environment_name or environment_uuid is needed');
  });

  it('validates query strings: types and unknown parameters', async () => {
    const created = await server.raw('POST', '/api/v1/applications/dockerimage', create());
    const uuid = (created.body as { uuid: string }).uuid;
    assert.equal((await server.raw('GET', `/api/v1/applications/${uuid}/logs?lines=many`)).status, 422);
    assert.equal((await server.raw('POST', `/api/v1/deploy?uuid=${uuid}&force=maybe`)).status, 422);
    assert.deepEqual((await server.raw('DELETE', `/api/v1/applications/${uuid}?purge=true`)).body, { message: 'Validation failed.', errors: { purge: ['This field is not allowed.'] } });
  });

  it('answers 405 to a GET on a state-changing route, 404 to an unknown one, 401 without the token', async () => {
    assert.equal((await server.raw('GET', '/api/v1/deploy?uuid=x')).status, 405);
    assert.equal((await server.raw('GET', '/api/v1/applications/x/stop')).status, 405);
    assert.equal((await server.raw('GET', '/api/v1/nope')).status, 404);
    const anonymous = await server.raw('GET', '/api/v1/applications', undefined, 'wrong');
    assert.deepEqual([anonymous.status, anonymous.body], [401, { message: 'Unauthenticated.' }]);
  });

  it('refuses a body on routes that take none', async () => {
    const created = await server.raw('POST', '/api/v1/applications/dockerimage', create());
    const uuid = (created.body as { uuid: string }).uuid;
    assert.equal((await server.raw('POST', `/api/v1/applications/${uuid}/start`, { force: true })).status, 422);
  });

  it('catches its own answers when they break the spec (response validation is real)', async () => {
    const created = await server.raw('POST', '/api/v1/applications/dockerimage', create());
    const app = server.state.apps.get((created.body as { uuid: string }).uuid)!;
    (app as { name: unknown }).name = 42;
    const res = await server.raw('GET', `/api/v1/applications/${app.uuid}`);
    assert.equal(res.status, 500);
    assert.equal(server.violations.length, 1);
    assert.match(server.violations[0]!, /^GET \/applications\/\{uuid\} 200: .*"instancePath":"\/name"/);
    server.violations.length = 0;
  });

  it('moves a deployment queued → in_progress → finished, then the application to running:healthy', async () => {
    const created = await server.raw('POST', '/api/v1/applications/dockerimage', create());
    const uuid = (created.body as { uuid: string }).uuid;
    const deploy = await server.raw('POST', `/api/v1/deploy?uuid=${uuid}&force=false`);
    const d = (deploy.body as { deployments: { deployment_uuid: string }[] }).deployments[0]!.deployment_uuid;
    const seen: string[] = [];
    for (let i = 0; i < 50 && seen.at(-1) !== 'finished'; i++) {
      const s = ((await server.raw('GET', `/api/v1/deployments/${d}`)).body as { status: string }).status;
      if (seen.at(-1) !== s) seen.push(s);
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(seen, ['queued', 'in_progress', 'finished']);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(((await server.raw('GET', `/api/v1/applications/${uuid}`)).body as { status: string }).status, 'running:healthy');
    await server.raw('POST', `/api/v1/applications/${uuid}/stop`);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(((await server.raw('GET', `/api/v1/applications/${uuid}`)).body as { status: string }).status, 'exited:unhealthy');
    assert.deepEqual((await server.raw('GET', `/api/v1/applications/${uuid}/logs`)).body, { message: 'Application is not running.' });
    assert.deepEqual(server.violations, []);
  });

  it('answers 429 with an integer Retry-After in rate-limit mode', async () => {
    server.fail({ kind: 'rate-limit', retryAfter: 7, times: 1 });
    const res = await server.raw('GET', '/api/v1/applications');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal((await server.raw('GET', '/api/v1/applications')).status, 200);
    assert.deepEqual(server.violations, []);
  });
});

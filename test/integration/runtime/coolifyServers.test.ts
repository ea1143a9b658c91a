// Coolify across servers (issue #19): servers registered with their capacity (HANGAR_COOLIFY_SERVERS),
// checked against Coolify's GET /servers, each deploy placed on a server that fits its tier, the
// placement visible in the project's notes, and a tier change that no longer fits moving the project.
// Against the contract server, which validates every request and answer against Coolify's OpenAPI.
import assert from 'node:assert/strict';
import { CoolifyServerList, CoolifyServerLoad, type ErrorBody } from '../../../backend/contract';
import { CoolifyError } from '../../../backend/runtime/coolify';
import { memoryBytes } from '../../../backend/runtime/coolify/placement';
import { serverOf } from '../../../backend/runtime/coolify/mapping';
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';
import { client, startTestApi } from '../support/apiServer';
import { calls, desktopTier, driverFor, envFor, never, progressLog, spec, tier } from './coolifySupport';

const SMALL = 'srv0small000000000000002';
const BIG = 'srv0big00000000000000003';

describe('coolify driver: placement across servers', function () {
  this.timeout(30_000);
  let server: CoolifyContractServer;
  const servers = (over: { smallDesktop?: boolean } = {}) => JSON.stringify([
    { uuid: SMALL, name: 'small', cpus: 4, memory: '8g', desktop: over.smallDesktop ?? false },
    { uuid: BIG, name: 'big', cpus: 8, memory: '16g', desktop: true },
  ]);
  const appOf = (projectId: string) => [...server.state.apps.values()].find((a) => a.description?.includes(`[hangar-project=${projectId}]`));

  beforeEach(async () => {
    server = await startCoolifyServer({ stepMs: 20, moreServers: [{ uuid: SMALL, name: 'small' }, { uuid: BIG, name: 'big' }] });
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, []);
    await server.close();
  });

  it('reads the servers from Coolify, fills the one with the most room first, and says where each project runs', async () => {
    const d = driverFor(server, { HANGAR_COOLIFY_SERVERS: servers() });
    const std = tier({ cpus: 2, memory: '4g' });
    const placed: string[] = [];
    for (const [i, id] of ['prj_a', 'prj_b', 'prj_c', 'prj_d'].entries()) {
      const log = progressLog();
      const rs = await d.deploy(spec({ projectId: id, slug: `p${i}`, tier: std }), log.progress, never());
      placed.push(serverOf(appOf(id)!.description)!);
      assert.match(rs.unenforced![0]!, /^runs on Coolify server (small|big) \(/);
    }
    // big (16g) takes two 4g projects before small (8g) has more room; then small; then big again.
    assert.deepEqual(placed, [BIG, BIG, SMALL, BIG]);
    assert.ok(calls(server).includes('GET /servers'));
    const req = server.requests.find((r) => r.path.endsWith('/applications/dockerimage'))!;
    assert.equal((req.body as { server_uuid: string }).server_uuid, BIG);
    await d.close();
  });

  it('puts a desktop tier only on a desktop-capable server, and refuses with the reason when none has room', async () => {
    const d = driverFor(server, { HANGAR_COOLIFY_SERVERS: servers() });
    await d.deploy(spec({ projectId: 'prj_fill', slug: 'fill', tier: tier({ cpus: 7, memory: '4g' }) }), () => {}, never());
    const desk = desktopTier();
    await assert.rejects(d.deploy(spec({ projectId: 'prj_desk', slug: 'desk', tier: { ...desk, cpus: 2, memory: '4g' } }), () => {}, never()),
      (err: CoolifyError) => err.code === 'coolify_no_capacity' && /small: cannot run the desktop image; big: 1 of 8 CPU free, 2 needed/.test(err.message));
    assert.equal(appOf('prj_desk'), undefined, 'nothing was created');
    await d.close();
  });

  it('keeps a project where it runs across redeploys, and moves it when a tier change no longer fits there', async () => {
    const d = driverFor(server, { HANGAR_COOLIFY_SERVERS: servers() });
    await d.deploy(spec({ projectId: 'prj_big', slug: 'other', tier: tier({ cpus: 6, memory: '8g' }) }), () => {}, never());
    await d.deploy(spec({ projectId: 'prj_m', slug: 'mover', tier: tier({ cpus: 2, memory: '4g' }) }), () => {}, never());
    const first = appOf('prj_m')!;
    assert.equal(serverOf(first.description), SMALL);
    await d.deploy(spec({ projectId: 'prj_m', slug: 'mover', tier: tier({ cpus: 2, memory: '4g' }) }), () => {}, never());
    assert.equal(appOf('prj_m')!.uuid, first.uuid, 'a redeploy that still fits stays on the same application');
    const log = progressLog();
    const rs = await d.deploy(spec({ projectId: 'prj_m', slug: 'mover', tier: tier({ cpus: 2, memory: '8g' }) }), log.progress, never());
    // 8g still fits on small (its own 4g there does not count against it): it stays.
    assert.equal(serverOf(appOf('prj_m')!.description), SMALL);
    const bigger = await d.deploy(spec({ projectId: 'prj_m', slug: 'mover', tier: tier({ cpus: 2, memory: '12g' }) }), log.progress, never()).catch((e: Error) => e);
    assert.ok(bigger instanceof CoolifyError, 'big has 8g left, small 8g: 12g fits nowhere');
    await d.deploy(spec({ projectId: 'prj_big', slug: 'other', tier: tier({ cpus: 2, memory: '2g' }) }), () => {}, never());
    const moved = progressLog();
    const after = await d.deploy(spec({ projectId: 'prj_m', slug: 'mover', tier: tier({ cpus: 4, memory: '12g' }) }), moved.progress, never());
    const now = appOf('prj_m')!;
    assert.equal(serverOf(now.description), BIG);
    assert.notEqual(now.uuid, first.uuid, 'recreated on the other server');
    assert.ok(!server.state.apps.has(first.uuid), 'the application on the old server is gone');
    assert.ok(moved.messages.some((m) => /Moving to Coolify server big .*on small/.test(m)), moved.messages.join('\n'));
    assert.match(after.unenforced![0]!, /runs on Coolify server big/);
    assert.equal(rs.state, 'running');
    await d.close();
  });

  it('reports each server\'s capacity and what the projects placed there reserve (GET /api/runtimes/coolify/servers)', async () => {
    const d = driverFor(server, { HANGAR_COOLIFY_SERVERS: servers() });
    const empty = await d.serverLoads!();
    assert.deepEqual(empty.map((l) => [l.name, l.projects, l.used.cpus, l.usable]), [['small', 0, 0, true], ['big', 0, 0, true]]);
    await d.deploy(spec({ projectId: 'prj_1', slug: 'one', tier: tier({ cpus: 2, memory: '4g' }) }), () => {}, never());
    await d.deploy(spec({ projectId: 'prj_2', slug: 'two', tier: tier({ cpus: 3, memory: '6g' }) }), () => {}, never());
    await d.deploy(spec({ projectId: 'prj_3', slug: 'three', tier: tier({ cpus: 1, memory: '4g' }) }), () => {}, never());
    const loads = await d.serverLoads!();
    const GiB = 1024 ** 3;
    // Where each went, as Coolify's applications say (the description's server tag), summed per server.
    const expected = [SMALL, BIG].map((uuid) => {
      const here = ['prj_1', 'prj_2', 'prj_3'].filter((id) => serverOf(appOf(id)!.description) === uuid);
      const apps = here.map((id) => appOf(id)!);
      return {
        uuid, projects: here.length,
        used: { cpus: apps.reduce((n, a) => n + Number(a.limitsCpus), 0), memoryBytes: apps.reduce((n, a) => n + memoryBytes(a.limitsMemory as string), 0) },
      };
    });
    assert.deepEqual(loads.map((l) => ({ uuid: l.uuid, projects: l.projects, used: l.used })), expected);
    assert.equal(expected.reduce((n, e) => n + e.projects, 0), 3);
    assert.deepEqual(loads.map((l) => [l.name, l.desktop, l.capacity]),
      [['small', false, { cpus: 4, memoryBytes: 8 * GiB }], ['big', true, { cpus: 8, memoryBytes: 16 * GiB }]]);
    assert.ok(loads.every((l) => CoolifyServerLoad.safeParse(l).success), 'each matches the contract');
    await d.close();
  });

  it('lists the servers with their load to an admin through the API, and to nobody else', async () => {
    const api = await startTestApi({ ...envFor(server, { HANGAR_COOLIFY_SERVERS: servers() }), HANGAR_RUNTIME: 'coolify' });
    try {
      // An application placed after the API started (its start-up removes applications of unknown projects).
      const d = driverFor(server, { HANGAR_COOLIFY_SERVERS: servers() });
      await d.deploy(spec({ projectId: 'prj_api', slug: 'api', tier: tier({ cpus: 2, memory: '4g' }) }), () => {}, never());
      await d.close();
      const admin = client(api.url, api.adminToken);
      const res = await admin.get<CoolifyServerList>('/api/runtimes/coolify/servers');
      assert.equal(res.status, 200);
      assert.deepEqual(CoolifyServerList.parse(res.body).items.map((l) => [l.name, l.projects, l.used.cpus]), [['small', 0, 0], ['big', 1, 2]]);
      const { id } = await api.server.services.users.createUser('mallory', 'user');
      const mallory = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
      assert.equal((await mallory.get('/api/runtimes/coolify/servers')).status, 403);
    } finally {
      await api.close();
    }
    const local = await startTestApi({ HANGAR_RUNTIME: 'local' });
    try {
      const res = await client(local.url, local.adminToken).get<ErrorBody>('/api/runtimes/coolify/servers');
      assert.deepEqual([res.status, res.body.error.code], [409, 'runtime_unavailable']);
    } finally {
      await local.close();
    }
  });

  it('refuses a server that Coolify does not have', async () => {
    const d = driverFor(server, { HANGAR_COOLIFY_SERVERS: JSON.stringify([{ uuid: 'srv0nothere0000000000009', name: 'ghost', cpus: 4, memory: '8g' }, { uuid: BIG, cpus: 8, memory: '16g' }]) });
    await assert.rejects(d.deploy(spec(), () => {}, never()), (err: CoolifyError) => err.code === 'coolify_config' && /ghost .* which Coolify does not have/.test(err.message));
    await d.close();
  });
});

import assert from 'node:assert/strict';
import type { ErrorBody, Tier, TierList, TokenCreated } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';

describe('API: container tiers', () => {
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let userToken: string;

  before(async () => {
    api = await startTestApi();
    admin = client(api.url, api.adminToken);
    const { id } = await api.server.services.users.createUser('bob', 'user');
    userToken = (await api.server.services.users.createToken(id, 'test') as TokenCreated).secret;
  });
  after(() => api.close());

  it('seeds the four tiers with their resources on first start', async () => {
    const res = await admin.get<TierList>('/api/container-tiers');
    assert.equal(res.status, 200);
    const brief = res.body.items.map((t) => [t.id, t.cpus, t.memory, t.memoryReservation, t.storageGb, t.hasDesktopAccess, t.imageType, t.exposedPorts, t.isDefault]);
    assert.deepEqual(brief, [
      ['lite', 1, '2g', '1g', 20, false, 'cli', '4096', false],
      ['standard', 2, '4g', '2g', 30, false, 'cli', '4096', true],
      ['pro', 4, '8g', '4g', 50, false, 'cli', '4096', false],
      ['desktop', 8, '16g', '8g', 75, true, 'desktop', '4096,6080', false],
    ]);
  });

  it('answers the default tier and one tier by id, and 404 for an unknown one', async () => {
    assert.equal((await admin.get<Tier>('/api/container-tiers/default')).body.id, 'standard');
    assert.equal((await admin.get<Tier>('/api/container-tiers/desktop')).body.hasDesktopAccess, true);
    const missing = await admin.get<ErrorBody>('/api/container-tiers/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });

  it('lets only admins create, update and delete tiers', async () => {
    const user = client(api.url, userToken);
    const body = { id: 'gpu', name: 'GPU', cpus: 16, memory: '64g', memoryReservation: '32g', storageGb: 200 };
    const denied = await user.post<ErrorBody>('/api/container-tiers', body);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'forbidden');
    const created = await admin.post<Tier>('/api/container-tiers', body);
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.imageType, created.body.exposedPorts, created.body.isDefault], ['cli', '4096', false]);
    const dup = await admin.post<ErrorBody>('/api/container-tiers', body);
    assert.equal(dup.status, 409);
    const updated = await admin.patch<Tier>('/api/container-tiers/gpu', { cpus: 12, description: 'CUDA' });
    assert.deepEqual([updated.body.cpus, updated.body.description], [12, 'CUDA']);
    assert.equal((await user.patch('/api/container-tiers/gpu', { cpus: 1 })).status, 403);
    assert.equal((await admin.del('/api/container-tiers/gpu')).status, 204);
    assert.equal((await admin.get('/api/container-tiers/gpu')).status, 404);
  });

  it('moves the default when another tier becomes the default', async () => {
    await admin.patch('/api/container-tiers/pro', { isDefault: true });
    const tiers = (await admin.get<TierList>('/api/container-tiers')).body.items;
    assert.deepEqual(tiers.filter((t) => t.isDefault).map((t) => t.id), ['pro']);
    await admin.patch('/api/container-tiers/standard', { isDefault: true });
  });

  it('refuses to delete a tier in use, but retires it; a retired tier takes no new project', async () => {
    const project = await admin.post<{ id: string }>('/api/projects', { name: 'uses lite', tierId: 'lite' });
    assert.equal(project.status, 201);
    const del = await admin.del<ErrorBody>('/api/container-tiers/lite');
    assert.equal(del.status, 409);
    assert.equal(del.body.error.code, 'tier_in_use');
    assert.match(del.body.error.message, /retire/);
    const retired = await admin.patch<Tier>('/api/container-tiers/lite', { retired: true });
    assert.equal(retired.body.retired, true);
    const listed = (await admin.get<TierList>('/api/container-tiers')).body.items.map((t) => t.id);
    assert.deepEqual(listed, ['standard', 'pro', 'desktop']);
    const all = (await admin.get<TierList>('/api/container-tiers?includeRetired=true')).body.items.map((t) => t.id);
    assert.ok(all.includes('lite'));
    const refused = await admin.post<ErrorBody>('/api/projects', { name: 'late', tierId: 'lite' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'tier_retired');
    assert.equal((await admin.get(`/api/projects/${project.body.id}`)).status, 200, 'the existing project keeps its tier');
  });

  it('refuses to retire the default tier', async () => {
    const res = await admin.patch<ErrorBody>('/api/container-tiers/standard', { retired: true });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'tier_is_default');
  });

  it('validates tier bodies with field errors', async () => {
    const res = await admin.post<ErrorBody>('/api/container-tiers', { id: 'X', name: 'x', cpus: -1, memory: '4 GB', memoryReservation: '1g', storageGb: 1 });
    assert.equal(res.status, 400);
    const fields = (res.body.error.details as { fields: { path: string }[] }).fields.map((f) => f.path).sort();
    assert.deepEqual(fields, ['cpus', 'id', 'memory']);
  });
});

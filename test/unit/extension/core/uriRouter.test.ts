import assert from 'node:assert/strict';
import { UriRouter } from '../../../../extension/core/uriRouter';

describe('UriRouter', () => {
  it('dispatches by path with the query parsed, and reports unknown paths', async () => {
    const router = new UriRouter();
    const seen: string[] = [];
    router.register('/session', (q) => seen.push(`${q.get('project')}/${q.get('session')}`));
    assert.equal(await router.handle('/session/', 'project=p1&session=s%201'), true);
    assert.deepEqual(seen, ['p1/s 1']);
    assert.equal(await router.handle('/nope', ''), false);
  });

  it('refuses a second handler for the same path and frees it on dispose', () => {
    const router = new UriRouter();
    const d = router.register('oauth/callback', () => undefined);
    assert.throws(() => router.register('/oauth/callback', () => undefined), /already registered/);
    d.dispose();
    assert.doesNotThrow(() => router.register('/oauth/callback', () => undefined));
  });
});

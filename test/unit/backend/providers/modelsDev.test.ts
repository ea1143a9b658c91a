import assert from 'node:assert/strict';
import { CatalogParseError, parseCatalog } from '../../../../backend/providers/modelsDev';

const model = (over: Record<string, unknown> = {}) => ({ id: 'm', name: 'M', tool_call: true, limit: { context: 1000, output: 100 }, ...over });

describe('models.dev catalog parsing', () => {
  it('keeps unknown keys and takes ids from the map key when missing', () => {
    const { providers, skipped } = parseCatalog(JSON.stringify({
      acme: { name: 'Acme', env: ['ACME_KEY'], newThing: 1, models: { 'a/b:c': { name: 'ABC', someday: [1] } } },
    }));
    assert.deepEqual(skipped, []);
    const acme = providers.get('acme')!;
    assert.deepEqual([acme.id, acme.name, acme.env, acme.doc], ['acme', 'Acme', ['ACME_KEY'], undefined]);
    const m = acme.models.get('a/b:c')!;
    assert.deepEqual([m.id, m.name, m.cost, m.limit], ['a/b:c', 'ABC', undefined, undefined]);
    assert.deepEqual((m as Record<string, unknown>).someday, [1]);
  });

  it('skips a malformed provider or model and names it, without failing the rest', () => {
    const { providers, skipped } = parseCatalog(JSON.stringify({
      ok: { id: 'ok', name: 'OK', models: { good: model({ id: 'good' }), bad: model({ cost: { input: 'free' } }), neg: model({ limit: { context: -1 } }) } },
      nope: 42,
      alsoNope: { env: 'X' },
    }));
    assert.deepEqual([...providers.keys()], ['ok']);
    assert.deepEqual([...providers.get('ok')!.models.keys()], ['good']);
    assert.deepEqual(skipped, ['ok/bad', 'ok/neg', 'nope', 'alsoNope']);
  });

  it('refuses what is not a catalog at all', () => {
    for (const text of ['not json', '[]', 'null', '{}', '{"x": 1}']) assert.throws(() => parseCatalog(text), CatalogParseError, text);
  });
});

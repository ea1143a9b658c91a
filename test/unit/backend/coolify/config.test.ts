import assert from 'node:assert/strict';
import { ConfigError } from '../../../../backend/config';
import type { Config } from '../../../../backend/config';
import { silentLogger } from '../../../../backend/logger';
import { coolifyDriverFactory } from '../../../../backend/runtime/coolify';
import { loadCoolifyConfig, parseImage } from '../../../../backend/runtime/coolify/config';
import { createDriver } from '../../../../backend/runtime/registry';

const TOKEN = '12|s3cretTokenValueThatMustNotLeak';
const good = (over: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  HANGAR_COOLIFY_URL: 'https://coolify.example.com/',
  HANGAR_COOLIFY_TOKEN: TOKEN,
  HANGAR_COOLIFY_SERVER_UUID: 'rg8ks8c',
  HANGAR_COOLIFY_PROJECT_UUID: 'og888os',
  HANGAR_COOLIFY_ENVIRONMENT: 'production',
  HANGAR_COOLIFY_DOMAIN: 'agents.example.com',
  HANGAR_COOLIFY_IMAGE: 'ghcr.io/acme/hangar-agent:1.2',
  ...over,
});

describe('coolify config', () => {
  it('parses the instance, ids, domain and images', () => {
    assert.deepEqual(loadCoolifyConfig(good({ HANGAR_COOLIFY_DESKTOP_IMAGE: 'registry:5000/agent-desktop' })), {
      url: 'https://coolify.example.com',
      token: TOKEN,
      serverUuid: 'rg8ks8c',
      servers: [{ uuid: 'rg8ks8c', name: 'rg8ks8c', cpus: Infinity, memoryBytes: Infinity, desktop: true }],
      projectUuid: 'og888os',
      environment: { name: 'production' },
      domain: { scheme: 'https', host: 'agents.example.com' },
      image: { name: 'ghcr.io/acme/hangar-agent', tag: '1.2' },
      desktopImage: { name: 'registry:5000/agent-desktop', tag: 'latest' },
    });
  });

  it('accepts an /api/v1 URL, an environment uuid, an http:// domain, and defaults the environment to production', () => {
    const c = loadCoolifyConfig(good({ HANGAR_COOLIFY_URL: 'http://10.0.0.5:8000/api/v1', HANGAR_COOLIFY_ENVIRONMENT: 'uuid:ew4c8k0', HANGAR_COOLIFY_DOMAIN: 'http://lan.test' }));
    assert.deepEqual([c.url, c.environment, c.domain], ['http://10.0.0.5:8000', { uuid: 'ew4c8k0' }, { scheme: 'http', host: 'lan.test' }]);
    assert.deepEqual(loadCoolifyConfig(good({ HANGAR_COOLIFY_ENVIRONMENT: undefined })).environment, { name: 'production' });
  });

  const required = ['HANGAR_COOLIFY_URL', 'HANGAR_COOLIFY_TOKEN', 'HANGAR_COOLIFY_SERVER_UUID', 'HANGAR_COOLIFY_PROJECT_UUID', 'HANGAR_COOLIFY_DOMAIN', 'HANGAR_COOLIFY_IMAGE'];
  for (const name of required) {
    it(`names ${name} in one line when it is missing or blank`, () => {
      for (const value of [undefined, '  ']) {
        assert.throws(() => loadCoolifyConfig(good({ [name]: value })), (err: Error) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, new RegExp(`^${name} is missing: needed by HANGAR_RUNTIME=coolify: `));
          assert.ok(!err.message.includes('\n'));
          return true;
        });
      }
    });
  }

  const bad: [string, string, RegExp][] = [
    ['HANGAR_COOLIFY_URL', 'coolify.example.com', /^HANGAR_COOLIFY_URL="coolify.example.com" is invalid: the instance URL/],
    ['HANGAR_COOLIFY_TOKEN', 'has space in it', /^HANGAR_COOLIFY_TOKEN="<redacted>" is invalid: an API token/],
    ['HANGAR_COOLIFY_SERVER_UUID', 'a b', /^HANGAR_COOLIFY_SERVER_UUID="a b" is invalid: a Coolify uuid/],
    ['HANGAR_COOLIFY_DOMAIN', 'https://agents.example.com/path', /^HANGAR_COOLIFY_DOMAIN=".*" is invalid: a base domain/],
    ['HANGAR_COOLIFY_IMAGE', 'ghcr.io/acme/agent@sha256:abc', /^HANGAR_COOLIFY_IMAGE=".*" is invalid: an image reference/],
    ['HANGAR_COOLIFY_ENVIRONMENT', 'prod env', /^HANGAR_COOLIFY_ENVIRONMENT="prod env" is invalid/],
  ];
  for (const [name, value, message] of bad) {
    it(`names ${name} when it is bad`, () => {
      assert.throws(() => loadCoolifyConfig(good({ [name]: value })), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    });
  }

  it('never puts the token in an error message', () => {
    assert.throws(() => loadCoolifyConfig(good({ HANGAR_COOLIFY_TOKEN: 'short' })), (err: Error) => !err.message.includes('short'));
  });

  it('splits image references without mistaking a registry port for a tag', () => {
    assert.deepEqual(parseImage('localhost:5000/agent'), { name: 'localhost:5000/agent', tag: 'latest' });
    assert.deepEqual(parseImage('localhost:5000/agent:v2'), { name: 'localhost:5000/agent', tag: 'v2' });
    assert.deepEqual(parseImage('agent'), { name: 'agent', tag: 'latest' });
  });

  it('a missing variable makes the coolify runtime unavailable with that one line (the API still starts)', () => {
    const ctx = { config: { runtime: 'coolify' } as Config, box: undefined as never, log: silentLogger };
    const result = createDriver(ctx, { coolify: (c) => coolifyDriverFactory(c, good({ HANGAR_COOLIFY_SERVER_UUID: undefined })) });
    assert.equal(result.driver, undefined);
    assert.match(result.problem!, /^the coolify runtime is unavailable: HANGAR_COOLIFY_SERVER_UUID is missing: needed by HANGAR_RUNTIME=coolify: the uuid of the Coolify server/);
    const ok = createDriver(ctx, { coolify: (c) => coolifyDriverFactory(c, good()) });
    assert.equal(ok.driver?.name, 'coolify');
  });
});

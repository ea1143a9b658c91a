import assert from 'node:assert/strict';
import { loadConfig } from '../../../../backend/config';

const catalogOptionsFromEnv = (env: NodeJS.ProcessEnv) => loadConfig(env).models;
import { maskKey } from '../../../../backend/providers/credentials';
import { opencodeConfig } from '../../../../backend/providers/injection';

describe('provider credentials: masking and the agent config', () => {
  it('masks keys to a prefix and the last four, and shows nothing of a short key', () => {
    assert.equal(maskKey('sk-proj-abcdefghijklmnopf3a9'), 'sk-…f3a9');
    assert.equal(maskKey('AIzaSyA1234567890abcdXYZ9'), '…XYZ9');
    assert.equal(maskKey('gsk_0123456789abcdef7777'), 'gsk_…7777');
    assert.equal(maskKey('short-key'), 'short-…');
    assert.equal(maskKey('abc'), '…');
  });

  it('names a catalog provider and its model, with sharing and autoupdate off', () => {
    assert.deepEqual(opencodeConfig('openai', 'gpt-4.1'), {
      share: 'disabled', autoupdate: false, enabled_providers: ['openai'], model: 'openai/gpt-4.1', small_model: 'openai/gpt-4.1',
    });
    assert.deepEqual(opencodeConfig(null, null), { share: 'disabled', autoupdate: false });
  });

  it('declares a custom provider as @ai-sdk/openai-compatible with its models, and no key in the config', () => {
    const config = opencodeConfig('gw', 'llama3:8b', {
      id: 'gw', name: 'Gateway', baseURL: 'http://127.0.0.1:11434/v1', hasKey: true, createdAt: '', updatedAt: '',
      models: [{ id: 'llama3:8b', name: 'Llama', context: 8192, output: 2048 }],
    });
    assert.deepEqual(config.provider, {
      gw: {
        npm: '@ai-sdk/openai-compatible', name: 'Gateway', options: { baseURL: 'http://127.0.0.1:11434/v1' },
        models: { 'llama3:8b': { name: 'Llama', tool_call: true, limit: { context: 8192, output: 2048 } } },
      },
    });
    assert.equal(config.model, 'gw/llama3:8b');
  });
});

describe('provider catalog settings', () => {
  it('reads HANGAR_MODELS_URL and HANGAR_MODELS_TTL_S (in Config) with defaults, "off", and one-line errors', () => {
    const d = catalogOptionsFromEnv({});
    assert.deepEqual([d.url, d.ttlMs, d.retryMs], ['https://models.dev/api.json', 6 * 3600_000, 300_000]);
    assert.equal(catalogOptionsFromEnv({ HANGAR_MODELS_URL: 'off' }).url, null);
    assert.equal(catalogOptionsFromEnv({ HANGAR_MODELS_TTL_S: '60' }).ttlMs, 60_000);
    assert.throws(() => catalogOptionsFromEnv({ HANGAR_MODELS_URL: 'ftp://x' }), /^ConfigError: HANGAR_MODELS_URL="ftp:\/\/x" is invalid/);
    assert.throws(() => catalogOptionsFromEnv({ HANGAR_MODELS_TTL_S: '0' }), /HANGAR_MODELS_TTL_S="0" is invalid/);
  });
});

describe('provider sign-in settings', () => {
  it('defaults to github.com and opencode\'s client id; a GitHub Enterprise host changes the URL and is kept for enterpriseUrl', () => {
    const d = loadConfig({}).oauth;
    assert.deepEqual([d.githubOAuthUrl, d.githubEnterpriseHost, d.copilotClientId, d.redirectProviders], ['https://github.com', undefined, 'Ov23li8tweQw6odWQebz', {}]);
    const ghe = loadConfig({ HANGAR_GITHUB_HOST: 'github.example.com' }).oauth;
    assert.deepEqual([ghe.githubOAuthUrl, ghe.githubEnterpriseHost], ['https://github.example.com', 'github.example.com']);
    assert.equal(loadConfig({ HANGAR_GITHUB_OAUTH_URL: 'http://127.0.0.1:9999' }).oauth.githubOAuthUrl, 'http://127.0.0.1:9999');
  });

  it('parses HANGAR_OAUTH_PROVIDERS and names what is wrong in one line', () => {
    const ok = loadConfig({ HANGAR_OAUTH_PROVIDERS: JSON.stringify({ openrouter: { authorizeUrl: 'https://a.test/auth', tokenUrl: 'https://a.test/token', clientId: 'c' } }) });
    assert.deepEqual(ok.oauth.redirectProviders.openrouter, { authorizeUrl: 'https://a.test/auth', tokenUrl: 'https://a.test/token', clientId: 'c', scopes: [], editorRedirect: true });
    assert.throws(() => loadConfig({ HANGAR_OAUTH_PROVIDERS: '{nope' }), /^ConfigError: HANGAR_OAUTH_PROVIDERS is invalid: not JSON/);
    assert.throws(() => loadConfig({ HANGAR_OAUTH_PROVIDERS: JSON.stringify({ x: { authorizeUrl: 'nope', tokenUrl: 'https://a.test/t', clientId: 'c' } }) }), /HANGAR_OAUTH_PROVIDERS is invalid at x\.authorizeUrl/);
    assert.throws(() => loadConfig({ HANGAR_OAUTH_PROVIDERS: JSON.stringify({ x: { authorizeUrl: 'https://a.test/a', tokenUrl: 'https://a.test/t', clientId: 'c', editorRedirect: false } }) }), /needs codePageUri/);
    assert.throws(() => loadConfig({ HANGAR_ENCRYPTION_KEY_PREVIOUS: 'short' }), /HANGAR_ENCRYPTION_KEY_PREVIOUS="<redacted>" is invalid/);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { defaultWebhookBase } from '../../../../backend/activity/webhookTarget';
import { sessionLink } from '../../../../backend/activity/notificationWebhooks';
import { loadConfig } from '../../../../backend/config';

const ROOT = path.resolve(__dirname, '../../../..');

describe('activity: where agents post their webhooks', () => {
  it('local: the loopback URL; docker: host.docker.internal, with a bridge listener only when the API is on loopback; coolify: none', () => {
    assert.deepEqual(defaultWebhookBase('local', '127.0.0.1', 7420, 'http://127.0.0.1:7420'), { url: 'http://127.0.0.1:7420', needsBridgeListener: false });
    assert.deepEqual(defaultWebhookBase('docker', '127.0.0.1', 7420, 'http://127.0.0.1:7420'), { url: 'http://host.docker.internal:7420', needsBridgeListener: true });
    assert.deepEqual(defaultWebhookBase('docker', '0.0.0.0', 7420, 'http://127.0.0.1:7420'), { url: 'http://host.docker.internal:7420', needsBridgeListener: false });
    assert.deepEqual(defaultWebhookBase('coolify', '0.0.0.0', 7420, 'http://127.0.0.1:7420'), { url: undefined, needsBridgeListener: false });
  });

  it('HANGAR_WEBHOOK_URL is an http(s) base URL, trailing slash dropped; anything else stops start-up naming it', () => {
    assert.equal(loadConfig({ HANGAR_WEBHOOK_URL: 'https://hangar.example.com/' }).webhookUrl, 'https://hangar.example.com');
    assert.equal(loadConfig({}).webhookUrl, undefined);
    assert.throws(() => loadConfig({ HANGAR_WEBHOOK_URL: 'hangar.example.com' }), /^ConfigError: HANGAR_WEBHOOK_URL="hangar.example.com" is invalid/);
  });

  it('the cli image installs the plugin from media/opencode-plugin (build context media/)', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'media/images/cli/Dockerfile'), 'utf8');
    assert.match(dockerfile, /^COPY --chown=hangar:hangar opencode-plugin\/hangar-webhook\.js \/home\/hangar\/\.config\/opencode\/plugins\/hangar-webhook\.js$/m);
    assert.ok(fs.existsSync(path.join(ROOT, 'media/opencode-plugin/hangar-webhook.js')));
  });

  it('deep links name the extension, the project and the session', () => {
    assert.equal(sessionLink('p-1', 'ses_a b'), 'vscode://hangar-dev.hangar/session?project=p-1&session=ses_a+b');
  });
});

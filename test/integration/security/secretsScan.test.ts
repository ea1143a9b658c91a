import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../backend/config';
import type { Project, TokenCreated } from '../../../backend/contract';
import { createLogger } from '../../../backend/logger';
import { startServer } from '../../../backend/server';
import { client } from '../support/apiServer';
import { operationsOf, fillPath } from './openapiRoutes';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { markedSecret } from '../../harness/secretsScan.mjs';

/** Every file under `dir` (the data dir: database, its -wal/-shm, logs, sealed specs, workspaces…). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Marker secrets go in through every route that takes one; then the database file, the data dir,
 * the API log (debug level), the event stream and every GET answer (what a user can export) are
 * searched for them in plain text.
 */
describe('API security: secrets scan: no plaintext marker secret in the database, data dir, log, event stream or answers', function () {
  this.timeout(60_000);

  it('keeps provider keys, custom provider keys, GitHub tokens, webhook secrets, API tokens and agent passwords out of everything it writes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-scan-'));
    const log: string[] = [];
    const server = await startServer(loadConfig({ HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_LOG_LEVEL: 'debug', HANGAR_MODELS_URL: 'off', HANGAR_ALLOW_PRIVATE_HOSTS: '*' }),
      createLogger('debug', (line) => log.push(line)));
    const adminToken = fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim();
    const alice = client(server.url, adminToken);
    const markers = {
      providerKey: markedSecret('sk-', 'provider'),
      customKey: markedSecret('sk-', 'custom'),
      githubToken: markedSecret('ghp_', 'github'),
      webhookSecret: markedSecret('whsec-', 'notify'),
    } as Record<string, string>;
    const events = new AbortController();
    const stream = await fetch(`${server.url}/api/events`, { headers: { Authorization: `Bearer ${adminToken}` }, signal: events.signal });
    const reader = stream.body!.getReader();
    let streamText = '';
    const reading = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          streamText += Buffer.from(value).toString('utf8');
        }
      } catch { /* aborted at the end */ }
    })();
    try {
      const answers: string[] = [];
      const keep = async <T>(p: Promise<{ status: number; body: T }>) => {
        const r = await p;
        answers.push(JSON.stringify(r.body));
        return r;
      };
      assert.equal((await keep(alice.post('/api/providers/openai/credentials', { type: 'api', key: markers.providerKey }))).status, 201);
      assert.equal((await keep(alice.post('/api/custom-providers', { id: 'gw', name: 'Gateway', baseURL: 'https://gw.example.com/v1', apiKey: markers.customKey, models: [{ id: 'm', context: 8192, output: 1024 }] }))).status, 201);
      assert.ok((await keep(alice.call('PUT', '/api/github/credential', { token: markers.githubToken }))).status < 500);
      assert.equal((await keep(alice.call('PUT', '/api/notifications/webhook', { url: 'https://hooks.example.com/x', secret: markers.webhookSecret, kinds: ['done'] }))).status, 200);
      // The one answer that shows a new token's secret, by design (once); it is not kept for the scan.
      const token = (await alice.post<TokenCreated>('/api/tokens', { name: 'scan' })).body;
      markers.apiToken = token.secret;
      markers.adminToken = adminToken;
      const project = (await keep(alice.post<Project>('/api/projects', { name: 'scan' }))).body;
      const secrets = await server.services.projects.secrets(project.id);
      markers.agentPassword = secrets.opencodePassword;
      markers.projectWebhookSecret = secrets.webhookSecret;
      await keep(alice.patch(`/api/projects/${project.id}`, { name: 'scan renamed' }));
      // Everything a user can read back (the "exports"): every GET route without a stream.
      const ops = operationsOf((await alice.get<never>('/api/openapi.json')).body);
      for (const op of ops.filter((o) => o.method === 'GET' && !o.stream && !o.path.includes('/opencode/'))) {
        const url = fillPath(op.path, { id: project.id, provider: 'github-copilot' }).replace('{id}', 'openai');
        const res = await alice.call('GET', url);
        answers.push(JSON.stringify(res.body));
      }
      await new Promise((r) => setTimeout(r, 300));
      events.abort();
      await reading;
      await server.close();

      const found: string[] = [];
      const scan = (where: string, text: string) => {
        for (const [name, value] of Object.entries(markers)) if (value && text.includes(value)) found.push(`${name} in ${where}`);
      };
      const files = filesUnder(dataDir);
      assert.ok(files.some((f) => f.endsWith('hangar.db')), 'the database file is scanned');
      for (const f of files) {
        if (['local-token'].includes(path.basename(f))) continue; // holds the admin token by design (0600)
        scan(path.relative(dataDir, f), fs.readFileSync(f).toString('latin1'));
      }
      scan('the API log', log.join('\n'));
      scan('the event stream', streamText);
      answers.forEach((a, i) => scan(`answer ${i}`, a));
      console.log(`      secrets scan: ${Object.keys(markers).length} markers × (${files.length} files, ${log.length} log lines, ${streamText.length} bytes of events, ${answers.length} answers): ${found.length} found`);
      assert.ok(streamText.includes('provider') || streamText.includes('project.created'), 'the event stream carried the changes');
      assert.deepEqual(found, []);
    } finally {
      events.abort();
      removeDataDir(dataDir);
    }
  });
});

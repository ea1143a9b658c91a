import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small models.dev catalog: two usual providers and the odd shapes the real one has. */
export function miniCatalog(version = 1): Record<string, unknown> {
  const model = (id: string, extra: Record<string, unknown> = {}) => ({
    id, name: id.toUpperCase(), family: 'fam', attachment: true, reasoning: false, tool_call: true,
    release_date: '2025-01-01', last_updated: '2025-01-01', modalities: { input: ['text', 'image'], output: ['text'] },
    open_weights: false, cost: { input: 2, output: 8, cache_read: 0.5 }, limit: { context: 128000, output: 16384 }, ...extra,
  });
  return {
    openai: { id: 'openai', name: 'OpenAI', env: ['OPENAI_API_KEY'], npm: '@ai-sdk/openai', doc: 'https://platform.openai.com/docs/models',
      models: { 'gpt-4.1': model('gpt-4.1'), [`gpt-v${version}`]: model(`gpt-v${version}`) } },
    'github-copilot': { id: 'github-copilot', name: 'GitHub Copilot', env: ['GITHUB_TOKEN'], npm: '@ai-sdk/openai-compatible', doc: 'https://docs.github.com/copilot',
      models: { 'claude-sonnet-4': model('claude-sonnet-4') } },
    // Odd but valid: no cost, no limits, ids with / and :, a key nobody knows yet.
    openrouter: { id: 'openrouter', name: 'OpenRouter', env: ['OPENROUTER_API_KEY'], doc: 'https://openrouter.ai', brandNew: { x: 1 },
      models: {
        'meta-llama/llama-3.1-8b:free': { id: 'meta-llama/llama-3.1-8b:free', name: 'Llama free', tool_call: false, futureField: true },
        'no-limits': { id: 'no-limits', name: 'No limits' },
        broken: { id: 42, name: ['not', 'a', 'string'] },
      } },
    // Invalid: skipped, never fatal.
    junk: 'not a provider',
    worse: { id: 'worse', name: 'Worse', env: 'NOT_AN_ARRAY' },
  };
}

export interface ModelsServer {
  url: string;
  requests: { ifNoneMatch: string | undefined }[];
  setCatalog(body: Record<string, unknown>, etag: string): void;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Stands in for https://models.dev/api.json: ETag, 304 on If-None-Match, or down (503). */
export async function startModelsServer(): Promise<ModelsServer> {
  let body = JSON.stringify(miniCatalog());
  let etag = '"v1"';
  let down = false;
  const requests: ModelsServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ ifNoneMatch: req.headers['if-none-match'] });
    if (down) { res.writeHead(503).end('down'); return; }
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag }).end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: etag }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api.json`,
    requests,
    setCatalog(next, nextEtag) { body = JSON.stringify(next); etag = nextEtag; },
    setDown(d) { down = d; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

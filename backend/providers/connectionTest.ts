import type { ConnectionTestResult } from '../contract';
import { conflict, HttpError } from '../errors';
import type { CredentialService, OpencodeAuth } from './credentials';
import type { ProviderService } from './providerService';
import type { PrivateHostGuard } from './urlGuard';

/** Base URLs of providers whose models.dev entry has no `api` (their SDK knows it). */
const KNOWN_BASE_URLS: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
  mistral: 'https://api.mistral.ai/v1',
  groq: 'https://api.groq.com/openai/v1',
  xai: 'https://api.x.ai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  togetherai: 'https://api.together.xyz/v1',
  cerebras: 'https://api.cerebras.ai/v1',
  'github-copilot': 'https://api.githubcopilot.com',
};

interface Probe { url: string; headers: Record<string, string> }

/** The cheapest authenticated call: list the models. Each provider family authenticates its own way. */
function probeFor(providerId: string, baseUrl: string, auth: OpencodeAuth | undefined): Probe {
  const secret = auth?.type === 'api' ? auth.key : auth?.access;
  const base = baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'hangar' };
  if (providerId === 'anthropic') {
    if (secret) headers['x-api-key'] = secret;
    headers['anthropic-version'] = '2023-06-01';
  } else if (providerId === 'google') {
    if (secret) headers['x-goog-api-key'] = secret;
  } else if (secret) {
    headers.Authorization = `Bearer ${secret}`;
  }
  return { url: `${base}/models`, headers };
}

/**
 * Test Provider Connection: one real, cheap request with the stored credential and a verdict a
 * person can act on. The provider's answer body is never copied into the message (some echo the key).
 */
export class ConnectionTester {
  constructor(private readonly providers: ProviderService, private readonly creds: CredentialService, private readonly timeoutMs = 10_000, private readonly guard?: PrivateHostGuard) {}

  async test(userId: string, providerId: string): Promise<ConnectionTestResult> {
    const resolved = await this.providers.resolve(userId, providerId);
    const auth = await this.creds.peek(userId, providerId);
    let baseUrl: string | undefined;
    if (resolved.kind === 'custom') baseUrl = resolved.provider.baseURL;
    else {
      if (!auth) throw conflict('not_configured', `${resolved.provider.name} has no credential yet: configure it first ("Hangar: Configure Provider").`);
      baseUrl = resolved.provider.api ?? KNOWN_BASE_URLS[providerId];
    }
    if (!baseUrl) throw new HttpError(422, 'test_unsupported', `Hangar does not know an endpoint to test ${providerId} against; its agents still use the key.`);
    const probe = probeFor(providerId, baseUrl, auth);
    const host = new URL(probe.url).host;
    // No probing of loopback or private addresses (this host's ports, other users' agents).
    await this.guard?.check(probe.url);
    const started = performance.now();
    let status: number;
    try {
      const res = await fetch(probe.url, { headers: probe.headers, signal: AbortSignal.timeout(this.timeoutMs) });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : c?.code ?? c?.message ?? 'network error';
      return { verdict: 'unreachable', latencyMs, httpStatus: null, message: `${host} is unreachable (${cause}). Check the network, a proxy, or the provider's base URL.` };
    }
    const latencyMs = Math.round(performance.now() - started);
    return { ...verdict(status, host), latencyMs, httpStatus: status };
  }
}

function verdict(status: number, host: string): Pick<ConnectionTestResult, 'verdict' | 'message'> {
  if (status >= 200 && status < 300) return { verdict: 'ok', message: `${host} accepted the credential.` };
  if (status === 401) return { verdict: 'bad_key', message: `${host} rejected the credential (401). Paste a new key or sign in again.` };
  if (status === 402 || status === 403) return { verdict: 'no_access', message: `${host} knows the credential but refuses access (${status}): check the account's plan, billing or permissions.` };
  if (status === 429) return { verdict: 'no_access', message: `${host} is rate-limiting this credential (429): wait, or check its quota.` };
  if (status === 404) return { verdict: 'unreachable', message: `${host} has no models endpoint at this address (404): check the base URL.` };
  return { verdict: 'unreachable', message: `${host} answered ${status}: the provider may be down; try again later.` };
}

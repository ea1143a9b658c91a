import http from 'node:http';
import type { Config } from '../config';
import type { ApiErrorBody } from '../contract';
import type { Logger } from '../logger';
import type { RuntimeDriver } from '../runtime/driver';
import { WEBHOOK_PATH } from '../runtime/lifecycle';

export interface WebhookTarget {
  /** The API's base URL as the agents reach it (the plugin posts to <apiUrl>/api/webhooks/opencode); undefined: none. */
  apiUrl: string | undefined;
  /** Where the extra webhook-only listener listens, if one was needed. */
  listening?: string;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/** The default per runtime when HANGAR_WEBHOOK_URL is not set (pure: see startWebhookTarget). */
export function defaultWebhookBase(runtime: Config['runtime'], apiHost: string, port: number, loopbackUrl: string): { url: string | undefined; needsBridgeListener: boolean } {
  if (runtime === 'local') return { url: loopbackUrl, needsBridgeListener: false };
  // Coolify runs agents on another machine: only the operator knows the API's public address.
  if (runtime === 'coolify') return { url: undefined, needsBridgeListener: false };
  const wildcard = apiHost === '0.0.0.0' || apiHost === '::';
  return { url: `http://host.docker.internal:${port}`, needsBridgeListener: !wildcard && LOOPBACK.test(apiHost) };
}

/**
 * Decides where the opencode plugin inside each agent posts its session events, and makes that
 * reachable. HANGAR_WEBHOOK_URL wins. Otherwise: the local runtime uses the API's loopback address;
 * docker containers use host.docker.internal (mapped to docker's bridge gateway, see
 * containerSpec ExtraHosts), and when the API listens on loopback only — which containers cannot
 * reach — a second listener on that gateway address serves the webhook route and nothing else;
 * Coolify needs HANGAR_WEBHOOK_URL (a warning says so).
 */
export async function startWebhookTarget(opts: {
  config: Config; driver: RuntimeDriver | undefined; port: number; loopbackUrl: string; log: Logger;
  handler: http.RequestListener;
}): Promise<WebhookTarget> {
  const { config, log } = opts;
  const none = async () => {};
  if (config.webhookUrl) return { apiUrl: config.webhookUrl, close: none };
  const { url, needsBridgeListener } = defaultWebhookBase(config.runtime, config.host, opts.port, opts.loopbackUrl);
  if (config.runtime === 'coolify') {
    log.warn('HANGAR_WEBHOOK_URL is not set: agents on Coolify cannot report their sessions (set it to this API\'s public URL, like https://hangar.example.com)');
  }
  if (!needsBridgeListener) return { apiUrl: url, close: none };
  let gateway: string | undefined;
  try {
    gateway = await (opts.driver as { hostGatewayIp?: () => Promise<string | undefined> } | undefined)?.hostGatewayIp?.();
  } catch (err) {
    log.warn(`containers cannot reach the activity webhook: ${(err as Error).message}`);
    return { apiUrl: url, close: none };
  }
  if (!gateway) {
    log.warn('the API listens on loopback and docker\'s bridge gateway is unknown: containers cannot reach the activity webhook. Set HANGAR_HOST=0.0.0.0 (firewalled) or HANGAR_WEBHOOK_URL.');
    return { apiUrl: url, close: none };
  }
  const server = http.createServer((req, res) => {
    // Only the plugin's route: the rest of the API stays on loopback.
    if (req.method === 'POST' && (req.url === WEBHOOK_PATH || req.url?.startsWith(`${WEBHOOK_PATH}?`))) return opts.handler(req, res);
    res.statusCode = 404;
    res.setHeader('Content-Type', 'application/json');
    const body: ApiErrorBody = {
      error: { code: 'not_found', message: 'Only the opencode webhook is served on this address.' },
    };
    res.end(JSON.stringify(body));
  });
  server.requestTimeout = 30_000;
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, gateway, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
  let port: number;
  try {
    port = await listen(opts.port);
  } catch {
    try {
      port = await listen(0);
    } catch (err) {
      log.warn('cannot listen on docker\'s bridge gateway for the activity webhook', { gateway, error: (err as Error).message });
      return { apiUrl: url, close: none };
    }
  }
  log.info('activity webhook for containers', { listening: `${gateway}:${port}` });
  return {
    apiUrl: `http://host.docker.internal:${port}`,
    listening: `${gateway}:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * Every environment variable the management API reads, for `hangar-api --help`. A unit test
 * (test/unit/backend/cliEnv.test.ts) checks this list against the HANGAR_* names in backend/.
 */
export const ENV_HELP: { group: string; vars: [name: string, help: string][] }[] = [
  {
    group: 'Server',
    vars: [
      ['HANGAR_HOST', 'address to listen on (default 127.0.0.1; 0.0.0.0 for a team server behind TLS)'],
      ['HANGAR_PORT', 'port (default 7420; 0 = any free port)'],
      ['HANGAR_DATA_DIR', 'data folder: SQLite file, key file, first admin token (default ~/.hangar)'],
      ['HANGAR_DATABASE_URL', 'sqlite:<file> or postgres://… (default sqlite in HANGAR_DATA_DIR)'],
      ['HANGAR_ENCRYPTION_KEY', '32 bytes in base64 that encrypt stored secrets (default: a key file in HANGAR_DATA_DIR)'],
      ['HANGAR_ENCRYPTION_KEY_FILE', 'file holding that key instead'],
      ['HANGAR_ENCRYPTION_KEY_PREVIOUS', 'the old key, for `secrets rotate-key` with an environment key'],
      ['HANGAR_LOG_LEVEL', 'debug | info | warn | error (default info)'],
      ['HANGAR_BODY_LIMIT', 'largest JSON body, like 1mb (default 1mb)'],
      ['HANGAR_SSE_HEARTBEAT_MS', 'event stream heartbeat (default 15000)'],
      ['HANGAR_EVENT_BUFFER', 'events kept for clients that reconnect (default 1000)'],
      ['HANGAR_MAX_STREAMS_PER_USER', 'open event streams (windows, panels) per user; one more is 429 (default 32)'],
      ['HANGAR_LEASE_RENEW_MS', 'replicas on PostgreSQL: how often operation and job leases are renewed (default 2000)'],
      ['HANGAR_LEASE_OPERATION_MS', "an operation whose replica stopped renewing this long is failed (default 6000)"],
      ['HANGAR_LEASE_JOB_MS', "a background job whose replica stopped renewing this long moves to another (default 6000)"],
    ],
  },
  {
    group: 'Agents (all runtimes)',
    vars: [
      ['HANGAR_RUNTIME', 'local | docker | coolify: where agents run (default local)'],
      ['HANGAR_LOCAL_SANDBOX', 'auto | bwrap | off: bubblewrap sandbox for local agents (default auto)'],
      ['HANGAR_WARM_POOL_LOCAL', 'local agents kept started ahead of time for first deploys, 0-32 (default 0 = off; PUT /api/runtimes/local/warm-pool overrides)'],
      ['HANGAR_WEBHOOK_URL', "this API's URL as agents reach it (default: chosen per runtime)"],
      ['HANGAR_STATUS_POLL_MS', 'backstop poll of agent status (default 30000)'],
      ['HANGAR_HEALTH_TIMEOUT_MS', 'how long a deploy waits for opencode to answer (default 60000)'],
      ['HANGAR_AGENT_TIMEOUT_MS', 'per-request timeout of the agent proxy (default 30000)'],
      ['HANGAR_AGENT_EVENT_BUFFER', 'agent events kept per project for reconnects (default 2000)'],
      ['HANGAR_AGENT_GRACE_MS', 'how long an agent event stream stays open without clients (default 5000)'],
      ['HANGAR_OPENCODE_BIN', 'local runtime: another opencode executable than the bundled one'],
      ['HANGAR_NOTIFY_RETRY_MS', 'first retry delay of outgoing notification webhooks (default 10000)'],
    ],
  },
  {
    group: 'Docker runtime (images: `hangar-api image build [--desktop]`)',
    vars: [
      ['DOCKER_HOST', 'unix:///… or tcp://… (default unix:///var/run/docker.sock); DOCKER_TLS_VERIFY, DOCKER_CERT_PATH for TLS'],
      ['HANGAR_DOCKER_IMAGE', 'agent image (default hangar/opencode-cli:1.18.33)'],
      ['HANGAR_DOCKER_DESKTOP_IMAGE', 'desktop-tier image (default hangar/opencode-desktop:1.18.33)'],
      ['HANGAR_DOCKER_NETWORK', 'a bridge network the containers join (created when missing)'],
      ['HANGAR_DOCKER_PIDS_LIMIT', 'process limit per container'],
      ['HANGAR_DOCKER_STOP_TIMEOUT', 'seconds `docker stop` waits before SIGKILL'],
    ],
  },
  {
    group: 'Coolify runtime',
    vars: [
      ['HANGAR_COOLIFY_URL', 'the Coolify instance URL'],
      ['HANGAR_COOLIFY_TOKEN', 'its API token (better: `hangar-api coolify set-token`, stored encrypted)'],
      ['HANGAR_COOLIFY_SERVER_UUID', 'the Coolify server that runs the agents'],
      ['HANGAR_COOLIFY_SERVERS', 'several Coolify servers with their capacity, as JSON: [{"uuid","name","cpus","memory","desktop"}]'],
      ['HANGAR_COOLIFY_PROJECT_UUID', 'the Coolify project the agents go in'],
      ['HANGAR_COOLIFY_ENVIRONMENT', 'environment name or uuid:<uuid> (default production)'],
      ['HANGAR_COOLIFY_DOMAIN', 'base domain; each agent gets https://<slug>.<domain>'],
      ['HANGAR_COOLIFY_IMAGE', 'the agent image Coolify pulls'],
      ['HANGAR_COOLIFY_DESKTOP_IMAGE', 'the desktop-tier image Coolify pulls'],
    ],
  },
  {
    group: 'Providers and GitHub',
    vars: [
      ['HANGAR_ALLOW_PRIVATE_HOSTS', 'hosts, IPs or CIDRs (comma-separated, or *) a provider URL may reach on loopback/private networks, e.g. a local model server'],
      ['HANGAR_MODELS_URL', 'models.dev catalog URL, or off (default https://models.dev/api.json)'],
      ['HANGAR_MODELS_TTL_S', 'catalog freshness in seconds (default 21600)'],
      ['HANGAR_MODELS_RETRY_S', 'retry after a failed catalog fetch (default 300)'],
      ['HANGAR_MODELS_SNAPSHOT', 'a catalog JSON file used when the URL cannot be reached'],
      ['HANGAR_OAUTH_PROVIDERS', 'JSON of extra sign-in (authorization code + PKCE) providers'],
      ['HANGAR_OAUTH_REFRESH_LEAD_S', 'refresh OAuth tokens this long before they expire (default 300)'],
      ['HANGAR_OAUTH_REFRESH_POLL_S', 'how often expiring tokens are looked for (default 60)'],
      ['HANGAR_COPILOT_CLIENT_ID', 'OAuth app client id of the GitHub Copilot sign-in'],
      ['HANGAR_GITHUB_HOST', 'GitHub host for sync and sign-in (default github.com)'],
      ['HANGAR_GITHUB_OAUTH_URL', 'base URL of its OAuth endpoints, when not https://<host>'],
      ['HANGAR_GIT_CA_FILE', 'a CA bundle git trusts for the repository host'],
      ['HANGAR_SYNC_POLL_MS', 'how often project sync status is refreshed'],
      ['HANGAR_SYNC_ACTIVE_POLL_MS', 'how often a project whose agent is working is re-read (default 1000, 0 = never)'],
    ],
  },
];

/** The help's environment section: one line per variable, grouped. */
export function envHelpText(): string {
  const width = Math.max(...ENV_HELP.flatMap((g) => g.vars.map(([n]) => n.length))) + 2;
  return ENV_HELP.map((g) => `${g.group}:\n${g.vars.map(([n, h]) => `  ${n.padEnd(width)}${h}`).join('\n')}`).join('\n\n');
}

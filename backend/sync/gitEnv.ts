/**
 * The environment of one git command. The credential goes in as configuration through
 * GIT_CONFIG_COUNT/KEY/VALUE (git ≥ 2.31): it is never an argument (visible in `ps`), never in
 * .git/config, never in the remote URL, and it is scoped to the repository's origin so a redirect
 * to another host does not receive it.
 */
export interface GitAuth {
  /** https://host[:port] of the repository. */
  origin: string;
  token?: string;
  /** Path (as the command sees it) of a CA bundle for a server with a private CA. */
  caFile?: string;
}

const BASE: Record<string, string> = {
  LC_ALL: 'C',
  LANG: 'C',
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  // Reading status must not take the index lock the agent may need at the same moment.
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TRACE: '0',
  GIT_TRACE_CURL: '0',
  GIT_TRACE_PACKET: '0',
};

export function gitEnv(auth?: GitAuth, identity?: { name: string; email: string }): Record<string, string> {
  const config: [string, string][] = [
    // No stored helper answers for us (and none stores the token we pass).
    ['credential.helper', ''],
    ['core.askPass', ''],
    // The workspace belongs to the agent: none of its hooks or fsmonitor programs run with our environment.
    ['core.hooksPath', '/dev/null'],
    ['core.fsmonitor', 'false'],
  ];
  if (auth?.token) {
    const basic = Buffer.from(`x-access-token:${auth.token}`, 'utf8').toString('base64');
    config.push([`http.${auth.origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  if (auth?.caFile) config.push(['http.sslCAInfo', auth.caFile]);
  const env: Record<string, string> = { ...BASE, GIT_CONFIG_COUNT: String(config.length) };
  config.forEach(([k, v], i) => { env[`GIT_CONFIG_KEY_${i}`] = k; env[`GIT_CONFIG_VALUE_${i}`] = v; });
  // The environment variable wins over configuration: set it too, or an inherited one overrides ours.
  if (auth?.caFile) env.GIT_SSL_CAINFO = auth.caFile;
  if (identity) {
    env.GIT_AUTHOR_NAME = env.GIT_COMMITTER_NAME = identity.name;
    env.GIT_AUTHOR_EMAIL = env.GIT_COMMITTER_EMAIL = identity.email;
  }
  return env;
}

/** Removes the token (and its Basic form) from text that may reach a log, an event or a message. */
export function scrub(text: string, token?: string): string {
  if (!token) return text;
  const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  return text.split(token).join('***').split(basic).join('***');
}

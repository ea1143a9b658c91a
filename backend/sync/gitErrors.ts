/** Why a git network command failed, in words a user can act on. */
export type GitFailureKind = 'auth' | 'not_found' | 'network' | 'tls' | 'stale_lease' | 'rejected' | 'other';

export class SyncError extends Error {
  override name = 'SyncError';
  /** Set when the failing action fetched on the way (the upstream commit it saw). */
  fetchedSha?: string | null;
  constructor(readonly kind: GitFailureKind | 'unavailable' | 'refused' | 'conflict', message: string) {
    super(message);
  }
}

export function classifyGitFailure(stderr: string): GitFailureKind {
  if (/stale info|\(stale info\)/i.test(stderr)) return 'stale_lease';
  if (/Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 40[13]|HTTP 40[13]|Invalid username or password/i.test(stderr)) return 'auth';
  if (/repository '.*' not found|returned error: 404|HTTP 404|not found/i.test(stderr)) return 'not_found';
  if (/SSL certificate|server certificate verification failed|certificate verify failed|SSL_ERROR|gnutls_handshake/i.test(stderr)) return 'tls';
  if (/Could not resolve host|Failed to connect|Connection refused|Connection timed out|Operation timed out|Couldn't connect/i.test(stderr)) return 'network';
  if (/\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first/i.test(stderr)) return 'rejected';
  return 'other';
}

/**
 * curl's verbose/trace lines ("* TLSv1.3 (OUT), TLS handshake", "> GET …", "12:00:00.123456 http.c:…"):
 * an agent's git config or the environment can turn them on; they are noise in a message.
 */
const TRACE_LINE = /^([*<>{}]\s|[*<>{}]$|\d{2}:\d{2}:\d{2}\.\d+\s|==\s?Info:|trace:|hint:)/;

/** The last meaningful lines of git's stderr, for a message. */
export function gitTail(stderr: string, lines = 3): string {
  return stderr.split('\n').map((l) => l.trim()).filter((l) => l && !TRACE_LINE.test(l)).slice(-lines).join(' ');
}

export function networkFailure(kind: GitFailureKind, host: string, stderr: string, hadToken: boolean): SyncError {
  const tail = gitTail(stderr);
  switch (kind) {
    case 'auth':
      return new SyncError('auth', hadToken
        ? `${host} refused the token: it answered 401/403 (${tail}). The token may be expired, revoked or lack the "repo" scope: set a new one with Hangar: Set GitHub Token.`
        : `No token was sent: ${host} asked for credentials and you have no token for ${host}. Set one for ${host} with Hangar: Set GitHub Token (scope "repo"), then Retry Import.`);
    case 'not_found':
      return new SyncError('not_found', `The repository was not found on ${host} (${tail}). Check the URL in the project's settings, and that your token can see the repository.`);
    case 'tls':
      return new SyncError('tls', `The TLS certificate of ${host} is not trusted (${tail}). For a server with a private CA set HANGAR_GIT_CA_FILE on the API.`);
    case 'network':
      return new SyncError('network', `Could not reach ${host} (${tail}). Check the network of the project's runtime and try again.`);
    default:
      return new SyncError(kind, `git failed talking to ${host}: ${tail || 'no message'}`);
  }
}

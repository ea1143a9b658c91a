import type * as vscode from 'vscode';
import type { Logger } from './ports';
import type { SecretRegistry } from './redact';

/** The Logger every module gets: writes to the "Hangar" log channel, scrubbed of tokens. */
export function channelLogger(channel: vscode.LogOutputChannel, secrets: SecretRegistry): Logger {
  return {
    debug: (m) => channel.debug(secrets.redact(m)),
    info: (m) => channel.info(secrets.redact(m)),
    warn: (m) => channel.warn(secrets.redact(m)),
    error: (m) => channel.error(secrets.redact(m)),
  };
}

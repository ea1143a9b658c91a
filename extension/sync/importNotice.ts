import type { SyncResult } from '../../backend/contract';

export type ImportChoice = 'Retry Import' | 'Set GitHub Token' | 'Show Log';

/**
 * The notification of a failed import (the automatic one after a deploy, or Retry Import): the
 * API's reason as it is (it says whether a token was sent at all), and the ways forward.
 */
export function importFailedNotice(
  projectName: string, result: Pick<SyncResult, 'message'>,
): { message: string; items: ImportChoice[] } {
  const aboutToken = /\btoken\b/i.test(result.message);
  return {
    message: `Hangar: importing the repository into "${projectName}" failed: ${result.message}`,
    items: aboutToken ? ['Set GitHub Token', 'Retry Import', 'Show Log'] : ['Retry Import', 'Show Log'],
  };
}

/** The host a "No token was sent: <host> asked…" / "<host> refused the token" message names, to set its token. */
export function hostOfTokenMessage(message: string): string | undefined {
  return /^No token was sent: ([A-Za-z0-9.-]+(?::\d+)?) /.exec(message)?.[1]
    ?? /^([A-Za-z0-9.-]+(?::\d+)?) refused the token/.exec(message)?.[1];
}

import type { AgentPromptBody } from '../contract';
import { HttpError } from '../errors';
import { callAgent, type AgentTarget } from './upstream';

/**
 * opencode 1.18 takes a client-chosen `messageID` on prompt_async as the user message's id, but a
 * second prompt with the same id does not fail: its parts are appended to that message (the agent
 * gets the text twice). So a prompt whose message already exists was delivered before (an answer
 * lost on the way back, a replay after an API crash) and is not forwarded again.
 */
export async function promptAlreadyDelivered(
  target: AgentTarget, sessionID: string, body: AgentPromptBody, timeoutMs: number,
): Promise<boolean> {
  if (!body.messageID) return false;
  try {
    const res = await callAgent(target, {
      method: 'GET', path: `/session/${encodeURIComponent(sessionID)}/message/${encodeURIComponent(body.messageID)}`, timeoutMs,
    });
    res.body?.resume();
    return res.status === 200;
  } catch (err) {
    if (err instanceof HttpError && err.code === 'agent_rejected') return false;
    throw err;
  }
}

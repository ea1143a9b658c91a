import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TITLE, type FakeLlm } from '../fixtures/fakeLlm/server';
import { deployFakeLlmProject, type ProjectLike } from './fakeLlmProject';
import { api, snapshot, waitFor } from './helpers';

type Posted = { type: string; [k: string]: unknown };
/** What `hangar.internal.chat` returns (test/vscode/hooks/chatHooks.ts). */
interface ChatProbe { title: string; ready: boolean; activeSessionId: string | null; stream: string; posted: Posted[] }

const probe = (id: string) => async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: id });
/** The agent's own list (GET /session through the API's proxy). */
async function sessionsOf(projectId: string): Promise<Array<{ id: string; title: string }>> {
  const res = await api('GET', `/api/projects/${projectId}/opencode/session`);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json as Array<{ id: string; title: string }>;
}
const REPLY = 'Streaming works: one two three four five six seven eight nine ten.';

/** The text of one message as the webview's store builds it: chat.part sets a part, chat.delta appends. */
function rebuilt(posted: Posted[], messageId: string): string {
  const parts = new Map<string, { type: string; text: string }>();
  for (const m of posted) {
    if (m.type === 'chat.part') {
      const part = m.part as { id: string; messageId: string; type: string; text?: string };
      if (part.messageId === messageId) parts.set(part.id, { type: part.type, text: part.text ?? '' });
    } else if (m.type === 'chat.delta' && m.messageId === messageId) {
      const part = parts.get(m.partId as string) ?? { type: 'text', text: '' };
      part.text += m.delta as string;
      parts.set(m.partId as string, part);
    }
  }
  return [...parts.values()].filter((p) => p.type === 'text').map((p) => p.text).join('');
}

describe('chat panel', function () {
  this.timeout(120_000);
  let project: ProjectLike | undefined;
  let llm: FakeLlm | undefined;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    ({ project, llm } = await deployFakeLlmProject('chat'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await llm?.close();
  });

  it('opens on a project with no session: a new conversation, and the agent has no session it did not ask for', async () => {
    assert.ok(project);
    const before = await sessionsOf(project.id);
    assert.deepEqual(before, [], 'a fresh project has no session');
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id: project.id }), true);
    const p = await waitFor('the chat to load', probe(project.id),
      (v) => v?.ready === true && v.stream === 'open' && v.posted.some((m) => m.type === 'chat.init'), 30_000);
    const init = p?.posted.find((m) => m.type === 'chat.init');
    assert.deepEqual([init?.sessions, init?.activeSessionId, p?.activeSessionId], [[], null, null]);
    assert.ok((init?.models as unknown[]).length > 0, 'the init came after the whole load (sessions, then models)');
    assert.deepEqual(await sessionsOf(project.id), before, 'opening the chat created no session');
  });

  it('the first send creates exactly one session, titled by opencode from the prompt; deltas stream to the webview', async () => {
    assert.ok(project && llm);
    const id = project.id;
    llm.enqueue({ text: REPLY, chunkSize: 6, delayMs: 15 });
    const answer = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('hangar.internal.chat', {
      projectId: id, inject: { type: 'chat.send', requestId: 'vscode-1', sessionId: null, text: 'Hello agent', mentions: [],
      // explicit: an earlier suite may have made another provider the default
      model: { providerId: 'fake', modelId: 'fake-model' } },
    });
    assert.deepEqual(answer, { ok: true });
    const done = await waitFor('the assistant message to complete', probe(id), (v) => (v?.posted ?? []).some((m) => {
      const info = m.info as { role?: string; time?: { completed?: number } } | undefined;
      return m.type === 'chat.message' && info?.role === 'assistant' && info.time?.completed !== undefined;
    }), 60_000);
    const sessions = await sessionsOf(id);
    assert.equal(sessions.length, 1, JSON.stringify(sessions));
    const sessionId = sessions[0]!.id;
    assert.equal(done?.activeSessionId, sessionId, 'the chat went to the session its prompt created');
    // opencode's own titling (the fake LLM answers its title request), never "New session - <ISO time>".
    const titled = await waitFor('opencode to title the session', async () => (await sessionsOf(id))[0]?.title, (t) => t === TITLE, 30_000);
    assert.doesNotMatch(titled ?? '', /\d{4}-\d\d-\d\dT\d\d:/);
    await waitFor('the chat\'s session list to show the title', probe(id), (v) => (v?.posted ?? []).some((m) => m.type === 'chat.sessions'
      && (m.sessions as Array<{ id: string; title: string }>).some((s) => s.id === sessionId && s.title === TITLE)), 10_000);
    assert.equal((await sessionsOf(id)).length, 1, 'still one session');

    const posted = done?.posted ?? [];
    const types = posted.map((m) => m.type);
    assert.ok(types.indexOf('chat.init') < types.indexOf('chat.transcript'), types.join(','));
    assert.equal(posted.find((m) => m.type === 'chat.transcript')?.replace, true);
    const deltas = posted.filter((m) => m.type === 'chat.delta');
    assert.ok(deltas.length >= 2, `expected streamed deltas, got ${deltas.length}`);
    assert.ok(!posted.some((m) => m.type === 'chat.transcript' && posted.indexOf(m) > posted.indexOf(deltas[0]!)), 'no whole transcript per update');
    const assistantId = deltas[0]!.messageId as string;

    const res = await api('GET', `/api/projects/${id}/opencode/session/${sessionId}/message`);
    assert.equal(res.status, 200);
    const messages = res.json as Array<{ info: { id: string; role: string }; parts: Array<{ type: string; text?: string }> }>;
    const agentMessage = messages.find((m) => m.info.id === assistantId);
    assert.ok(agentMessage, 'the streamed message is in the agent\'s transcript');
    const agentText = agentMessage.parts.filter((p) => p.type === 'text').map((p) => p.text ?? '').join('');
    assert.equal(agentText, REPLY);
    await waitFor('the webview\'s copy to equal the agent\'s', async () => rebuilt((await probe(id)())?.posted ?? [], assistantId), (t) => t === agentText, 10_000);
  });
});

// The agent's own files in the real VS Code: the `hangar:` file system against the real API and the
// real opencode (fake LLM). AGENTS.md saved in an editor reaches the next turn; a new agent file
// reaches the chat's agent picker; the time from save to effect is measured (median of 10).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeLlm } from '../fixtures/fakeLlm/server';
import { deployFakeLlmProject, type ProjectLike } from './fakeLlmProject';
import { api, createAgentSession, snapshot, waitFor } from './helpers';

type Posted = { type: string; [k: string]: unknown };
interface ChatProbe { ready: boolean; activeSessionId: string | null; stream: string; posted: Posted[] }

const uri = (projectId: string, p: string) => vscode.Uri.from({ scheme: 'hangar', authority: projectId, path: `/${p}` });
const probe = (id: string) => async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: id });

/** Replaces a document's whole text in its editor and saves it (what a person does). */
async function editAndSave(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), 'saved');
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

describe('agent files (hangar: file system)', function () {
  this.timeout(240_000);
  let project: ProjectLike | undefined;
  let llm: FakeLlm | undefined;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    ({ project, llm } = await deployFakeLlmProject('agentfiles'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await llm?.close();
  });

  it('creates AGENTS.md from its template in a real editor (markdown), lists and reads the workspace through hangar:', async () => {
    assert.ok(project);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hangar.agentFiles.new', { projectId: project.id, kind: 'agentsMd' });
    assert.equal(editor.document.uri.toString(), uri(project.id, 'AGENTS.md').toString());
    assert.equal(editor.document.languageId, 'markdown', 'highlighted as markdown');
    assert.match(editor.document.getText(), /^# Instructions for the agent/);
    const root = await vscode.workspace.fs.readDirectory(uri(project.id, ''));
    assert.ok(root.some(([n, t]) => n === 'AGENTS.md' && t === vscode.FileType.File));
    assert.ok(root.some(([n]) => n === 'opencode.json'));
    const json = await vscode.workspace.openTextDocument(uri(project.id, 'opencode.json'));
    assert.equal(json.languageId, 'json');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri(project.id, 'missing.md'))), (e: vscode.FileSystemError) => e.code === 'FileNotFound');
  });

  it('AGENTS.md saved in the editor is in the next turn\'s request to the model; measures save → in effect (median of 10)', async () => {
    assert.ok(project && llm);
    const id = project.id;
    await createAgentSession(id);
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id }), true);
    const ready = await waitFor('the chat', probe(id), (v) => v?.ready === true && v.stream === 'open' && !!v.activeSessionId, 30_000);
    const sessionId = ready!.activeSessionId!;
    const doc = await vscode.workspace.openTextDocument(uri(id, 'AGENTS.md'));
    const saves: number[] = [];
    const effects: number[] = [];
    for (let i = 0; i < 10; i++) {
      const marker = `Rule ${i}-${Date.now()}: answer in haiku.`;
      const before = llm.requests.length;
      const t0 = performance.now();
      await editAndSave(doc, `# Rules\n\n${marker}\n`);
      saves.push(performance.now() - t0);
      const sent = await vscode.commands.executeCommand<{ ok: boolean }>('hangar.internal.chat', {
        projectId: id, inject: { type: 'chat.send', requestId: `agents-md-${i}`, sessionId, text: `Turn ${i}`, mentions: [], model: { providerId: 'fake', modelId: 'fake-model' } },
      });
      assert.deepEqual(sent, { ok: true });
      const req = await waitFor(`turn ${i}'s request`, async () => llm!.requests.slice(before).find((r) => !r.isTitle), (r) => r !== undefined, 60_000);
      effects.push(performance.now() - t0);
      assert.ok(JSON.stringify(req!.body.messages).includes(marker), `turn ${i} carries the AGENTS.md saved just before`);
      await waitFor(`turn ${i} to finish`, async () => (await api('GET', `/api/projects/${id}/opencode/session/status`)).json as Record<string, unknown>,
        (s) => !s[sessionId], 30_000);
    }
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log(`      AGENTS.md save (editor → API → workspace): ${fmt(saves)}; save → the next turn's model request carries it: ${fmt(effects)}`);
  });

  it('a new agent file from its template reloads the agent, and the chat\'s agent picker lists it', async () => {
    assert.ok(project);
    const id = project.id;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hangar.agentFiles.new', { projectId: id, kind: 'agent', name: 'reviewer' });
    assert.equal(editor.document.uri.path, '/.opencode/agent/reviewer.md');
    // The new file's editor hid the chat (a hidden webview is discarded): bring the chat back, as a person would.
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id }), true);
    const listed = await waitFor('the chat to list the new agent', probe(id), (v) => (v?.posted ?? []).some((m) =>
      (m.type === 'chat.models' || m.type === 'chat.init') && Array.isArray(m.agents)
      && (m.agents as { name: string }[]).some((a) => a.name === 'reviewer')), 30_000);
    assert.ok(listed);
    // Rename and delete through the same commands the Agent node's menus use.
    assert.equal(await vscode.commands.executeCommand('hangar.agentFiles.rename', { projectId: id, path: '.opencode/agent/reviewer.md', newName: 'critic' }), '.opencode/agent/critic.md');
    assert.equal((await vscode.workspace.fs.stat(uri(id, '.opencode/agent/critic.md'))).type, vscode.FileType.File);
    assert.equal(await vscode.commands.executeCommand('hangar.agentFiles.delete', { projectId: id, path: '.opencode/agent/critic.md', confirm: true }), true);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri(id, '.opencode/agent/critic.md'))));
  });
});

// @mentions in the real VS Code: the picker's answers (workspace index with .gitignore, merged with the
// container's files), typing `@` in the real composer (keys sent by the harness), picking with the
// keyboard, sending, and the `file` part opencode stored; the watcher; "Use in Chat" and "Copy Path".
// Screenshots: test-results/vscode-chat-mention-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ChatHostToWebview, MentionResult } from '../../webviews/protocol/chat';
import type { FakeLlm } from '../fixtures/fakeLlm/server';
import { deployFakeLlmProject, type ProjectLike } from './fakeLlmProject';
import { activeExtension, api, snapshot, waitFor } from './helpers';

interface ChatProbe {
  ready: boolean; activeSessionId: string | null; stream: string; posted: ChatHostToWebview[];
  mentionIndex?: { files: number; lastBuild?: { ms: number; files: number }; events: number };
}
type AgentMessage = { info: { id: string; role: string }; parts: Array<{ type: string; text?: string; url?: string; filename?: string; mime?: string }> };

const TARGET = 'src/payments/invoiceTotals.ts';
const TARGET_TEXT = 'export const invoiceTotal = 42; // the answer the agent must see\n';

const probe = (id: string) => async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: id });

async function resultFile(name: string): Promise<string> {
  return path.join((await activeExtension()).extensionPath, 'test-results', name);
}

async function screenshot(name: string): Promise<void> {
  const file = await resultFile(name);
  fs.rmSync(file, { force: true });
  console.log(`[hangar-screenshot] ${name}`);
  await waitFor(`screenshot ${name}`, async () => fs.existsSync(file), (v) => v, 15_000);
}

/** Keyboard input into the chat's composer, through the harness (a real user's keys in the real webview). */
async function keys(id: string, steps: Array<{ type?: string; press?: string; waitFor?: string }>): Promise<void> {
  const done = await resultFile(`hangar-keys-${id}.done`);
  fs.rmSync(done, { force: true });
  console.log(`[hangar-keys] ${JSON.stringify({ id, steps })}`);
  await waitFor(`keys ${id}`, async () => fs.existsSync(done), (v) => v, 30_000);
  const error = fs.readFileSync(done, 'utf8');
  assert.equal(error, '', `keys ${id}: ${error}`);
}

describe('chat mentions', function () {
  this.timeout(120_000);
  let project: ProjectLike | undefined;
  let llm: FakeLlm | undefined;
  let root = '';
  let seq = 90_000;

  /** Asks the host as the webview does; the last results posted for that query. */
  const ask = async (id: string, query: string): Promise<MentionResult[]> => {
    const mySeq = ++seq;
    await vscode.commands.executeCommand('hangar.internal.chat', { projectId: id, inject: { type: 'chat.mentionQuery', seq: mySeq, query } });
    const answers = async () => ((await probe(id)())?.posted ?? [])
      .filter((m): m is Extract<ChatHostToWebview, { type: 'chat.mentionResults' }> => m.type === 'chat.mentionResults' && m.seq === mySeq);
    // The workspace answers first; the container's merged answer follows (unless the container is unreachable).
    const deadline = Date.now() + 3000;
    let got = await answers();
    while (got.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      got = await answers();
    }
    return got.at(-1)?.items ?? [];
  };

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(root, 'the suite runs with a workspace folder');
    ({ project, llm } = await deployFakeLlmProject('mentions'));
    // The VS Code workspace: a file to mention, and two that .gitignore hides.
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('.gitignore', 'build/\n*.secret\n');
    write(TARGET, TARGET_TEXT);
    write('build/invoiceBuilt.ts', 'generated\n');
    write('notes/invoice.secret', 'hidden\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await llm?.close();
    for (const p of ['.gitignore', 'src', 'build', 'notes']) fs.rmSync(path.join(root, p), { recursive: true, force: true });
  });

  it('the picker gets workspace files (not .gitignored ones) and the container\'s, each marked where it lives', async () => {
    assert.ok(project);
    const id = project.id;
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id }), true);
    await waitFor('the chat to load', probe(id), (v) => v?.ready === true && v.stream === 'open' && v.posted.some((m) => m.type === 'chat.init'), 30_000);
    const invoice = await waitFor('the workspace file in the results, the ignored ones not', () => ask(id, 'invoice'),
      (items) => items.some((i) => i.path === TARGET) && !items.some((i) => i.path.startsWith('build/') || i.path.endsWith('.secret')), 45_000);
    assert.deepEqual(invoice.find((i) => i.path === TARGET), { path: TARGET, source: 'workspace', kind: 'file' });
    const index = (await probe(id)())?.mentionIndex;
    assert.ok(index?.lastBuild, 'the workspace index was built');
    console.log(`      (workspace index: ${index.files} files, last build ${index.lastBuild.ms} ms)`);
    // opencode.json is only in the project's container workspace.
    const config = await waitFor('the container\'s file', () => ask(id, 'opencode.json'), (items) => items.some((i) => i.path === 'opencode.json'), 45_000);
    assert.deepEqual(config.find((i) => i.path === 'opencode.json'), { path: 'opencode.json', source: 'container', kind: 'file' });
  });

  it('typing @ in the composer opens the picker, Enter inserts the chip, Enter sends: opencode stores a file part', async () => {
    assert.ok(project && llm);
    const id = project.id;
    await keys('mention-type', [{ type: 'What is in @invoicetot' }, { waitFor: '.picker-item.picker-active' }]);
    await screenshot('vscode-chat-mention-picker.png');
    await keys('mention-pick', [{ press: 'Enter' }, { waitFor: '.mention-chip' }, { type: 'please?' }]);
    await screenshot('vscode-chat-mention-chip.png');
    await keys('mention-send', [{ press: 'Enter' }]);
    // A project without a session gets one for this prompt.
    const sessionId = (await waitFor('the prompt\'s session', probe(id), (v) => !!v?.activeSessionId, 30_000))?.activeSessionId;

    const messages = await waitFor('the prompt in the agent\'s transcript', async () => {
      const res = await api('GET', `/api/projects/${id}/opencode/session/${sessionId}/message`);
      return res.status === 200 ? res.json as AgentMessage[] : [];
    }, (ms) => ms.some((m) => m.info.role === 'user' && m.parts.some((p) => p.type === 'file')), 30_000);
    const user = messages.find((m) => m.info.role === 'user' && m.parts.some((p) => p.type === 'file'))!;
    const text = user.parts.find((p) => p.type === 'text' && !p.text?.startsWith('Called the Read tool'))?.text ?? '';
    assert.equal(text, `What is in @${TARGET} please?`);
    const file = user.parts.find((p) => p.type === 'file')!;
    assert.equal(file.filename, TARGET);
    assert.equal(file.mime, 'text/plain');
    // No common repository with the container: the workspace's content travels inline.
    assert.ok(file.url?.startsWith('data:text/plain;base64,'), file.url);
    assert.equal(Buffer.from(file.url!.slice(file.url!.indexOf(',') + 1), 'base64').toString('utf8'), TARGET_TEXT);
    await waitFor('the model to receive the file\'s content', async () => llm!.requests.some((r) => JSON.stringify(r.body).includes('invoiceTotal = 42')), (v) => v, 30_000);
    await screenshot('vscode-chat-mention-sent.png');
  });

  it('a file created now is found by a next query (the FileSystemWatcher, with a background re-scan behind it)', async () => {
    assert.ok(project);
    const id = project.id;
    const rel = 'src/payments/refundLedger.ts';
    const started = Date.now();
    fs.writeFileSync(path.join(root, rel), 'export {};\n');
    const found = await waitFor('the new file in the results', () => ask(id, 'refundledger'), (items) => items[0]?.path === rel, 30_000)
      .catch(async (e: unknown) => { throw new Error(`${e instanceof Error ? e.message : String(e)}; index: ${JSON.stringify((await probe(id)())?.mentionIndex)}`); });
    console.log(`      (the new file was found ${Date.now() - started} ms after it was written, the container's answers awaited included)`);
    assert.deepEqual(found[0], { path: rel, source: 'workspace', kind: 'file' });
  });

  it('"Use in Chat" from the editor puts the file with the selection\'s lines into the composer; "Copy Path" names it as the agent sees it', async () => {
    assert.ok(project);
    const id = project.id;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, TARGET)));
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
    editor.selection = new vscode.Selection(0, 0, 0, 10);
    assert.equal(await vscode.commands.executeCommand('hangar.useInChat'), true);
    const p = await waitFor('the mention posted to the composer', probe(id), (v) => (v?.posted ?? []).some((m) => m.type === 'chat.insertMention'), 20_000);
    assert.deepEqual(p?.posted.filter((m) => m.type === 'chat.insertMention'), [{ type: 'chat.insertMention', mention: { path: TARGET, range: { start: 1, end: 1 } } }]);
    await screenshot('vscode-chat-mention-use-in-chat.png');

    const again = await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
    again.selection = new vscode.Selection(0, 0, 0, 10);
    const copied = await vscode.commands.executeCommand<string | undefined>('hangar.copyAgentPath');
    // The project has no repository: the agent gets the content inline, under the workspace-relative name.
    assert.equal(copied, `${TARGET}#L1`);
    assert.equal(await vscode.env.clipboard.readText(), `${TARGET}#L1`);
  });
});

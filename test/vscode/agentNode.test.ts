// The Agent node under a project in the Projects view, driven as a user does: its rows read through the
// view's own tree provider, its menu commands run on the tree items (as VS Code runs them), the menus'
// `when` clauses checked against each row. New command from the Commands group's template, Open, then in
// the real chat: `/` lists the new command (keys typed into the real composer), picking and sending it
// runs it through opencode (the fake LLM receives the command's template), Rename and Delete.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ChatHostToWebview } from '../../webviews/protocol/chat';
import type { FakeLlm } from '../fixtures/fakeLlm/server';
import type { AgentTreeArgs, AgentTreeRow } from './hooks/agentTreeHooks';
import { deployFakeLlmProject, type ProjectLike } from './fakeLlmProject';
import { activeExtension, api, snapshot, waitFor } from './helpers';

interface ChatProbe { ready: boolean; activeSessionId: string | null; stream: string; posted: ChatHostToWebview[] }
type MenuEntry = { command: string; when?: string; group?: string };

const MARKER = 'Write release notes in the style of a ship log';
const tree = (args: AgentTreeArgs) => vscode.commands.executeCommand<AgentTreeRow[] | { result: unknown }>('hangar.internal.agentTree', args);
const rows = async (projectId: string, p: string[]) => (await tree({ projectId, path: p })) as AgentTreeRow[];
const run = async <T>(projectId: string, p: string[], command: string) => ((await tree({ projectId, path: p, run: command })) as { result: T }).result;
const answer = (a: { answers?: (string | null)[]; inputs?: (string | null)[] }) => vscode.commands.executeCommand('hangar.internal.modals', a);
const probe = (id: string) => async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: id });

/** The item menu commands package.json shows on a row with this contextValue in the Projects view. */
async function menuOf(contextValue: string): Promise<string[]> {
  const pkg = JSON.parse(fs.readFileSync(path.join((await activeExtension()).extensionPath, 'package.json'), 'utf8')) as
    { contributes: { menus: Record<string, MenuEntry[]> } };
  return pkg.contributes.menus['view/item/context']!.filter((m) => {
    const re = /viewItem =~ \/(.+)\/$/.exec(m.when ?? '');
    return (m.when ?? '').includes('view == hangar.projects') && re && new RegExp(re[1]!).test(contextValue);
  }).map((m) => m.command).filter((c, i, all) => all.indexOf(c) === i).sort();
}

async function keys(id: string, steps: Array<{ type?: string; press?: string; waitFor?: string }>): Promise<void> {
  const done = path.join((await activeExtension()).extensionPath, 'test-results', `hangar-keys-${id}.done`);
  fs.rmSync(done, { force: true });
  console.log(`[hangar-keys] ${JSON.stringify({ id, steps })}`);
  await waitFor(`keys ${id}`, async () => fs.existsSync(done), (v) => v, 30_000);
  assert.equal(fs.readFileSync(done, 'utf8'), '', `keys ${id}`);
}

describe('agent node and the chat\'s command picker', function () {
  this.timeout(240_000);
  let project: ProjectLike | undefined;
  let llm: FakeLlm | undefined;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    ({ project, llm } = await deployFakeLlmProject('agentnode'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await llm?.close();
  });

  it('shows AGENTS.md, opencode.json, Agents, Commands, Tools, Plugins under Agent, each with its menu', async () => {
    const id = project!.id;
    assert.deepEqual((await rows(id, [])).map((r) => [r.label, r.contextValue]), [['Agent', 'agentFiles.root']]);
    const agent = await rows(id, ['Agent']);
    assert.deepEqual(agent.map((r) => [r.label, r.contextValue, r.description ?? '']), [
      ['AGENTS.md', 'agentFiles.missing', 'not created yet'], ['opencode.json', 'agentFiles.file', ''],
      ['Agents', 'agentFiles.group.agent', '.opencode/agent'], ['Commands', 'agentFiles.group.command', '.opencode/command'],
      ['Tools', 'agentFiles.group.tool', '.opencode/tool'], ['Plugins', 'agentFiles.group.plugin', '.opencode/plugin'],
      ['MCP Servers', 'agentFiles.mcpGroup', ''],
    ]);
    assert.deepEqual(await menuOf('agentFiles.group.command'), ['hangar.agentFiles.new']);
    assert.deepEqual(await menuOf('agentFiles.file'), ['hangar.agentFiles.delete', 'hangar.agentFiles.open', 'hangar.agentFiles.rename']);
    assert.deepEqual(await rows(id, ['Agent', 'Commands']), []);
  });

  it('AGENTS.md "not created yet": a click creates it from its template; opencode.json opens on a click', async () => {
    const id = project!.id;
    const md = await run<vscode.TextEditor>(id, ['Agent', 'AGENTS.md'], 'click');
    assert.equal(md.document.uri.toString(), `hangar://${id}/AGENTS.md`);
    assert.match(md.document.getText(), /^# Instructions for the agent/);
    await waitFor('AGENTS.md to be a file row', () => rows(id, ['Agent']),
      (r) => r.some((x) => x.label === 'AGENTS.md' && x.contextValue === 'agentFiles.file' && x.click === 'hangar.agentFiles.open'), 20_000);
    const json = await run<vscode.TextEditor>(id, ['Agent', 'opencode.json'], 'click');
    assert.equal(json.document.languageId, 'json');
    assert.match(json.document.getText(), /"provider"/);
  });

  it('New Command from the Commands group\'s template (its name asked), listed, opened on a click, edited and saved', async () => {
    const id = project!.id;
    await answer({ inputs: ['relnotes'] });
    const created = await run<vscode.TextEditor>(id, ['Agent', 'Commands'], 'hangar.agentFiles.new');
    assert.equal(created.document.uri.path, '/.opencode/command/relnotes.md');
    assert.match(created.document.getText(), /^---\ndescription: What \/relnotes does\n---/);
    const listed = await waitFor('the new command in the tree', () => rows(id, ['Agent', 'Commands']), (r) => r.length === 1, 20_000);
    assert.deepEqual(listed, [{ label: 'relnotes.md', contextValue: 'agentFiles.file', click: 'hangar.agentFiles.open' }]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const opened = await run<vscode.TextEditor>(id, ['Agent', 'Commands', 'relnotes.md'], 'click');
    assert.equal(opened.document.languageId, 'markdown');
    const edit = new vscode.WorkspaceEdit();
    const doc = opened.document;
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), `---\ndescription: Draft the release notes\n---\n\n${MARKER} for $ARGUMENTS.\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
  });

  it('the chat\'s `/` picker lists the new command; picking and sending it runs its template through the agent', async () => {
    const id = project!.id;
    const listed = await waitFor('GET /command through the proxy to list it', () => api('GET', `/api/projects/${id}/opencode/command`),
      (r) => r.status === 200 && (r.json as { name: string }[]).some((c) => c.name === 'relnotes'), 120_000);
    assert.deepEqual((listed.json as { name: string; description?: string }[]).find((c) => c.name === 'relnotes'),
      { name: 'relnotes', description: 'Draft the release notes', agent: null });
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id }), true);
    const hasCommand = (v: ChatProbe | undefined) => (v?.posted ?? []).some((m) => (m.type === 'chat.init' || m.type === 'chat.models')
      && (m.commands ?? []).some((c) => c.name === 'relnotes' && c.description === 'Draft the release notes'));
    await waitFor('the chat to list the saved command', probe(id), (v) => v?.ready === true && v.stream === 'open' && hasCommand(v), 60_000);
    await keys('command-type', [{ type: '/relno' }, { waitFor: '#command-picker .picker-item.picker-active' }]);
    await keys('command-pick', [{ press: 'Enter' }, { type: 'v1.2' }]);
    const before = llm!.requests.length;
    await keys('command-send', [{ press: 'Enter' }]);
    const req = await waitFor('the command\'s turn at the model', async () => llm!.requests.slice(before).find((r) => !r.isTitle
      && JSON.stringify(r.body).includes(MARKER)), (r) => r !== undefined, 60_000);
    assert.ok(JSON.stringify(req!.body).includes(`${MARKER} for v1.2.`), 'the template with its arguments');
  });

  it('Rename (the new name asked) and Delete (confirmed) from the file row\'s menu', async () => {
    const id = project!.id;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await answer({ inputs: ['changelog'] });
    assert.equal(await run(id, ['Agent', 'Commands', 'relnotes.md'], 'hangar.agentFiles.rename'), '.opencode/command/changelog.md');
    await waitFor('the renamed row', () => rows(id, ['Agent', 'Commands']), (r) => r.map((x) => x.label).join() === 'changelog.md', 20_000);
    await answer({ answers: [null] });
    assert.equal(await run(id, ['Agent', 'Commands', 'changelog.md'], 'hangar.agentFiles.delete'), false, 'Cancel keeps it');
    await answer({ answers: ['Delete'] });
    assert.equal(await run(id, ['Agent', 'Commands', 'changelog.md'], 'hangar.agentFiles.delete'), true);
    await waitFor('the row to go', () => rows(id, ['Agent', 'Commands']), (r) => r.length === 0, 20_000);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.from({ scheme: 'hangar', authority: id, path: '/.opencode/command/changelog.md' }))));
  });
});

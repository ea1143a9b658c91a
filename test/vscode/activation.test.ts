import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, snapshot } from './helpers';

describe('activation', () => {
  it('activates and registers every command package.json declares', async () => {
    const ext = await activeExtension();
    assert.equal(ext.isActive, true);
    const declared = (ext.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((id) => !registered.has(id)), []);
  });

  it('measures its activation', async () => {
    const ms = await vscode.commands.executeCommand<number>('hangar.internal.activationTime');
    assert.equal(typeof ms, 'number');
    console.log(`activation: ${ms.toFixed(1)} ms`);
    assert.ok(ms < 500, `activate() took ${ms} ms`);
  });

  it('starts disconnected, with the status bar saying so', async () => {
    const s = await snapshot();
    assert.equal(s.connection, 'disconnected');
    assert.equal(s.statusBarText, '$(plug) Hangar: not connected');
    assert.deepEqual(s.projectNames, []);
  });
});

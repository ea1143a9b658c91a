import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_IDS, CONTEXT_KEYS, VIEW_IDS } from '../../../extension/core/commandIds';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    viewsWelcome: Array<{ view: string; contents: string; when?: string }>;
    menus: Record<string, Array<{ command: string; submenu?: string; when?: string }>>;
    submenus?: Array<{ id: string; label: string }>;
    configuration: { properties: Record<string, unknown> };
  };
};
const c = pkg.contributes;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('package.json contributions', () => {
  const declared = c.commands.map((x) => x.command);
  const viewIds = Object.values(c.views).flat().map((v) => v.id);

  it('declares exactly the commands the registry registers, each in the Hangar category', () => {
    assert.deepEqual([...declared].sort(), [...COMMAND_IDS].sort());
    for (const cmd of c.commands) assert.equal(cmd.category, 'Hangar', cmd.command);
  });

  it('has the titles the UI tests type', () => {
    const titles = Object.fromEntries(c.commands.map((x) => [x.command, x.title]));
    assert.deepEqual(
      [titles['hangar.connect'], titles['hangar.disconnect'], titles['hangar.testConnection'], titles['hangar.refresh'],
        titles['hangar.createProject'], titles['hangar.deleteProject'], titles['hangar.startLocalServer'], titles['hangar.showLog']],
      ['Connect to Server', 'Disconnect', 'Test Connection', 'Refresh', 'Create Project', 'Delete Project', 'Start Local Server', 'Show Log']);
  });

  it('declares no test-only command (they live in the test build: test/vscode/hooks)', () => {
    assert.deepEqual(c.commands.filter((x) => x.command.startsWith('hangar.internal.')).map((x) => x.command), []);
  });

  it('references only declared commands, views and context keys in menus and welcome content', () => {
    for (const [menu, items] of Object.entries(c.menus)) {
      for (const item of items) {
        if (item.submenu) assert.ok(c.submenus?.some((m) => m.id === item.submenu), `${menu}: submenu ${item.submenu}`);
        else assert.ok(declared.includes(item.command), `${menu}: ${item.command}`);
        for (const [, view] of (item.when ?? '').matchAll(/view == ([\w.]+)/g)) assert.ok(viewIds.includes(view!), `${menu}: view ${view}`);
      }
    }
    for (const w of c.viewsWelcome) {
      assert.ok(viewIds.includes(w.view), w.view);
      for (const [, cmd] of w.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(declared.includes(cmd!), cmd);
      for (const [key] of (w.when ?? '').matchAll(/hangar\.[\w.]+/g)) assert.ok((CONTEXT_KEYS as readonly string[]).includes(key), key);
    }
    assert.deepEqual(Object.values(VIEW_IDS).sort(), [...viewIds].sort());
    assert.deepEqual(Object.keys(c.views), c.viewsContainers.activitybar.map((v) => v.id));
  });

  it('declares every command id and setting the extension code mentions', () => {
    const settings = Object.keys(c.configuration.properties);
    const known = new Set<string>([...declared, ...viewIds, ...CONTEXT_KEYS, ...settings, 'hangar.connection', 'hangar.token:',
      ...(c.submenus ?? []).map((m) => m.id)]);
    for (const file of sourceFiles(path.join(root, 'extension'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, id] of text.matchAll(/['"`](hangar\.[\w.:]+)['"`]/g)) {
        if (/\.(svg|png|css|js|json|log)$/.test(id!)) continue; // a file name (media/hangar.svg), not an id
        assert.ok(known.has(id!), `${path.relative(root, file)} mentions ${id}, which package.json does not declare`);
      }
      for (const [, key] of text.matchAll(/getConfiguration\('hangar'\)\.(?:get|inspect|update)<?[\w]*>?\('([\w.]+)'/g)) {
        assert.ok(settings.includes(`hangar.${key}`), `${path.relative(root, file)} reads setting hangar.${key}`);
      }
    }
  });
});

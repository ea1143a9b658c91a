import assert from 'node:assert/strict';
import { PanelsByProject } from '../../../../../extension/core/webview/panelsByProject';

class FakePanel {
  reveals = 0;
  disposed = false;
  constructor(readonly projectId: string, private readonly onDisposed: () => void) {}
  reveal(): void { this.reveals++; }
  dispose(): void { this.disposed = true; this.onDisposed(); }
}

describe('PanelsByProject', () => {
  it('opens one panel per project and reveals the open one instead of a second', () => {
    const made: FakePanel[] = [];
    const panels = new PanelsByProject((id, onDisposed) => { const p = new FakePanel(id, onDisposed); made.push(p); return p; });
    panels.show('a');
    panels.show('a');
    panels.show('b');
    assert.deepEqual(made.map((p) => p.projectId), ['a', 'b']);
    assert.equal(panels.get('a')?.reveals, 1);
  });

  it('forgets a panel the user closed, so the next show opens a new one; dispose closes them all', () => {
    const made: FakePanel[] = [];
    const panels = new PanelsByProject((id, onDisposed) => { const p = new FakePanel(id, onDisposed); made.push(p); return p; });
    panels.show('a');
    made[0]!.dispose();
    assert.equal(panels.get('a'), undefined);
    panels.show('a');
    panels.show('b');
    assert.equal(made.length, 3);
    panels.dispose();
    assert.deepEqual(made.map((p) => p.disposed), [true, true, true]);
    assert.equal(panels.get('b'), undefined);
  });
});

describe('PanelsByProject: opening', () => {
  it('tells listeners about each panel it creates (not about one it only reveals), and hands show() its options', () => {
    const opened: string[] = [];
    const given: Array<string | undefined> = [];
    const panels = new PanelsByProject<FakePanel, string>((id, onDisposed, options) => {
      given.push(options);
      return new FakePanel(id, onDisposed);
    });
    const listener = panels.onDidOpen((id, p) => opened.push(`${id}:${p.projectId}`));
    const a = panels.show('a', 'session-1');
    assert.equal(panels.show('a', 'session-2'), a);
    panels.show('b');
    listener.dispose();
    panels.show('c');
    assert.deepEqual(opened, ['a:a', 'b:b']);
    assert.deepEqual(given, ['session-1', undefined, undefined]);
    assert.deepEqual(panels.entries().map(([id]) => id), ['a', 'b', 'c']);
  });
});

// The test build of the Desktop page (dist/test/webviews/desktop/index.js, loaded only by the test hooks):
// the product's App, with an Ipc that also answers the suite's `desktop.test` messages (desktopProbe.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { render } from 'preact';
import type { MessageHandlers } from '../../../../webviews/protocol/common';
import { DesktopPersistedState } from '../../../../webviews/protocol/desktop';
import { App, type DesktopIpc } from '../../../../webviews/desktop/App';
import { Ipc } from '../../../../webviews/shared/ipc';
import {
  TestDesktopHostToWebview, TestDesktopWebviewToHost, type DesktopTest, type TestDesktopWebviewToHost as Out,
} from '../desktopTestProtocol';
import { runTest } from './desktopProbe';

type In = Exclude<TestDesktopHostToWebview, { type: 'response' }>;

class TestIpc extends Ipc<TestDesktopHostToWebview, Out, DesktopPersistedState> {
  private connected = false;

  override listen(handlers: MessageHandlers<In>): void {
    super.listen({ ...handlers, 'desktop.test': (m: DesktopTest) => this.answer(m) });
  }

  override post(message: Parameters<Ipc<TestDesktopHostToWebview, Out, DesktopPersistedState>['post']>[0]): void {
    if (message.type === 'desktop.state') this.connected = message.state === 'connected';
    super.post(message);
  }

  private answer({ seq, test }: DesktopTest): void {
    try {
      const result = runTest({ document, connected: () => this.connected }, test);
      this.post({ type: 'desktop.testResult', seq, ok: true, ...result });
    } catch (e) {
      this.post({ type: 'desktop.testResult', seq, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

const ipc = new TestIpc({
  incoming: TestDesktopHostToWebview, outgoing: TestDesktopWebviewToHost, state: DesktopPersistedState,
});
const root = document.getElementById('root');
// The App only ever sees the product's messages: the test ones are answered above.
if (root) render(<App ipc={ipc as unknown as DesktopIpc} />, root);

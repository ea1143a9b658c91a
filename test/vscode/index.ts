// Entry of the suite that runs inside a real VS Code's extension host (extensionTestsPath), the same
// contract as @vscode/test-electron: export run(), resolve when all tests pass.
import Mocha from 'mocha';

export function run(): Promise<void> {
  // HANGAR_VSCODE_GREP (a regular expression over full test titles) runs a subset while developing;
  // keep the connection tests in it (e.g. "activation|connection|chat"): later suites build on them.
  const grep = process.env.HANGAR_VSCODE_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, ...(grep ? { grep: new RegExp(grep) } : {}) });
  // describe/it must exist before the suite files are evaluated.
  mocha.suite.emit('pre-require', globalThis, 'hangar', mocha);
  // In order: later suites build on the connection made by earlier ones. require(), not import: the
  // files must run after pre-require, and esbuild keeps require()d modules lazy.
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./activation.test');
  require('./connection.test');
  require('./projects.test');
  require('./projectPanel.test');
  require('./activity.test');
  // Before providers: once a default provider is set the API injects it (enabled_providers) and the
  // workspace opencode.json's fake provider is no longer used.
  require('./chat.test');
  // @mentions: the picker, a mention typed in the real composer and sent, the watcher, Use in Chat.
  require('./chatMentions.test');
  // Still before providers (same reason): queue, permission, abort, restore and resync of the chat.
  require('./chatQueue.test');
  // Still before providers: the agent's own files through hangar:, AGENTS.md reaching the fake LLM.
  require('./agentFiles.test');
  require('./agentNode.test');
  // Still before providers: Open Settings, permissions reaching the chat, export → import (#15).
  require('./settings.test');
  require('./providers.test');
  // Sign-in against the loopback GitHub device flow and OAuth server the harness points the API at.
  require('./providerSignIn.test');
  // After projects, before containers/offline: imports a repository from the loopback GitHub, syncs it.
  require('./sync.test');
  // A desktop-tier project on the local runtime: its screen in the Desktop panel (needs Xvfb, x11vnc).
  require('./desktop.test');
  require('./containers.test');
  require('./offline.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

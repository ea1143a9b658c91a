// Serves the chat webview bundle as VS Code would load it (same CSP: nonce scripts, styles only
// from the page's origin), with a stub acquireVsCodeApi that records what the webview posts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../../..');

/** A dark theme's variables, like those VS Code injects into every webview. */
const THEME = `:root {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-editor-font-family: "DejaVu Sans Mono", monospace; --vscode-editor-font-size: 12px;
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-errorForeground: #f85149;
  --vscode-editor-background: #1f1f1f; --vscode-editorWidget-background: #202020; --vscode-widget-border: #313131;
  --vscode-panel-border: #2b2b2b; --vscode-focusBorder: #0078d4; --vscode-textLink-foreground: #4daafc;
  --vscode-textLink-activeForeground: #4daafc; --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-textBlockQuote-background: #2b2b2b; --vscode-textBlockQuote-border: #616161;
  --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
  --vscode-input-placeholderForeground: #989898; --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc;
  --vscode-dropdown-border: #3c3c3c; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
  --vscode-inputValidation-warningBackground: #352a05; --vscode-inputValidation-warningBorder: #b89500;
  --vscode-inputValidation-errorBackground: #5a1d1d; --vscode-inputValidation-errorBorder: #be1100;
  --vscode-quickInput-background: #222222; --vscode-quickInputList-focusBackground: #04395e; --vscode-quickInputList-focusForeground: #ffffff;
  --vscode-widget-shadow: rgba(0,0,0,0.36); --vscode-testing-iconPassed: #73c991; --vscode-charts-yellow: #cca700;
  --vscode-progressBar-background: #0078d4; --vscode-toolbar-hoverBackground: rgba(90,93,94,0.31);
  --vscode-debugTokenExpression-name: #c586c0; --vscode-debugTokenExpression-string: #ce9178; --vscode-debugTokenExpression-number: #b5cea8;
}`;

/** VS Code's default light theme, for the readability screenshot. */
const LIGHT = THEME
  .replace('#cccccc; --vscode-descriptionForeground: #9d9d9d', '#3b3b3b; --vscode-descriptionForeground: #717171')
  .replace('--vscode-editor-background: #1f1f1f; --vscode-editorWidget-background: #202020; --vscode-widget-border: #313131',
    '--vscode-editor-background: #ffffff; --vscode-editorWidget-background: #f8f8f8; --vscode-widget-border: #e5e5e5')
  .replace('--vscode-panel-border: #2b2b2b', '--vscode-panel-border: #e5e5e5')
  .replace('--vscode-textLink-foreground: #4daafc', '--vscode-textLink-foreground: #005fb8')
  .replace('--vscode-textCodeBlock-background: #2b2b2b', '--vscode-textCodeBlock-background: #f3f3f3')
  .replace('--vscode-textBlockQuote-background: #2b2b2b', '--vscode-textBlockQuote-background: #f2f2f2')
  .replace('--vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c',
    '--vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece')
  .replace('--vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc', '--vscode-dropdown-background: #ffffff; --vscode-dropdown-foreground: #3b3b3b')
  .replace('--vscode-dropdown-border: #3c3c3c', '--vscode-dropdown-border: #cecece')
  .replace('--vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc', '--vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b')
  .replace('--vscode-inputValidation-warningBackground: #352a05', '--vscode-inputValidation-warningBackground: #f6eecb')
  .replace('--vscode-inputValidation-errorBackground: #5a1d1d', '--vscode-inputValidation-errorBackground: #f2dede')
  .replace('--vscode-quickInput-background: #222222', '--vscode-quickInput-background: #f8f8f8')
  .replace('--vscode-debugTokenExpression-name: #c586c0; --vscode-debugTokenExpression-string: #ce9178; --vscode-debugTokenExpression-number: #b5cea8',
    '--vscode-debugTokenExpression-name: #9b46b0; --vscode-debugTokenExpression-string: #a31515; --vscode-debugTokenExpression-number: #098658')
  .replace('--vscode-testing-iconPassed: #73c991', '--vscode-testing-iconPassed: #388a34');

const STUB = `
window.__posted = [];
window.__state = JSON.parse(sessionStorage.getItem('state') || 'null') ?? undefined;
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => window.__state,
  setState: (s) => { window.__state = s; sessionStorage.setItem('state', JSON.stringify(s)); },
});
window.__host = (m) => window.postMessage(m, '*');
`;

export interface ChatPage { url: string; close(): Promise<void> }

export async function serveChatPage(): Promise<ChatPage> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hangar-chat-'));
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: 'webviews/chat/main.tsx' },
    outdir: dir,
    bundle: true, minify: true, sourcemap: false, write: false, logLevel: 'silent', legalComments: 'none',
    define: { 'process.env.HANGAR_BUILD': JSON.stringify('production') },
    platform: 'browser', format: 'iife', target: 'es2022', jsx: 'automatic', jsxImportSource: 'preact',
    loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
  });
  for (const f of result.outputFiles) writeFileSync(f.path, f.contents);
  writeFileSync(path.join(dir, 'stub.js'), STUB);
  writeFileSync(path.join(dir, 'theme.css'), THEME);
  writeFileSync(path.join(dir, 'theme-light.css'), LIGHT);
  const nonce = 'dGVzdC1ub25jZS0xMjM0NQ==';
  let origin = '';
  const html = () => `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/index.css"><title>Chat</title></head>
<body><div id="root"></div><script nonce="${nonce}" src="/stub.js"></script><script nonce="${nonce}" src="/index.js"></script></body></html>`;
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };
  const server: Server = createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    if (p === '/' || p === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html());
      return;
    }
    try {
      const body = readFileSync(path.join(dir, path.basename(p)));
      res.writeHead(200, { 'content-type': types[path.extname(p)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: `${origin}/`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The one HTML/CSP helper every webview uses. No vscode import: the caller passes the webview's
// cspSource and a function that turns a path inside the extension into a webview URI.
import { randomBytes } from 'node:crypto';

/** Folders a webview may load from, relative to the extension root. */
export function resourceRoots(name: string): string[] {
  return [`dist/webviews/${name}`, 'media'];
}

/** 128 random bits, base64: a fresh one per page load (a reused nonce would defeat the CSP). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Nothing by default; scripts only with this page's nonce; styles and fonts only from the
 * extension's webview origin; images from there and data: URIs (codicons, small inline images).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string, connectSrc: string[] = []): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    // Only panels that open a connection themselves (the desktop's websocket) list origins here.
    ...(connectSrc.length ? [`connect-src ${connectSrc.join(' ')}`] : []),
  ].join('; ');
}

export interface WebviewPage {
  /** The folder under webviews/ (and dist/webviews/). */
  name: string;
  title: string;
  /** webview.cspSource */
  cspSource: string;
  /** Maps an extension-relative path (`dist/webviews/x/index.js`) to a URI the webview can load. */
  resourceUri(relativePath: string): string;
  /** Whether the bundle has an index.css (esbuild writes one when the webview imports CSS). */
  hasStylesheet: boolean;
  /** Injected for tests; a fresh one per call otherwise. */
  nonce?: string;
  /** Origins the page may connect to (CSP connect-src), e.g. the API's ws:// origin; none by default. */
  connectSrc?: string[];
}

export function webviewHtml(page: WebviewPage): string {
  const nonce = page.nonce ?? makeNonce();
  const base = `dist/webviews/${page.name}`;
  const css = page.hasStylesheet
    ? `\n    <link rel="stylesheet" href="${escapeAttr(page.resourceUri(`${base}/index.css`))}">`
    : '';
  const csp = escapeAttr(contentSecurityPolicy(page.cspSource, nonce, page.connectSrc));
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeText(page.title)}</title>${css}
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${nonce}" src="${escapeAttr(page.resourceUri(`${base}/index.js`))}"></script>
  </body>
</html>`;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

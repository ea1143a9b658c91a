import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, resourceRoots, webviewHtml, type WebviewPage } from '../../../../../extension/core/webview/webviewHtml';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function aPage(over: Partial<WebviewPage> = {}): WebviewPage {
  return {
    name: 'project', title: 'Project details', cspSource: CSP_SOURCE, hasStylesheet: true,
    resourceUri: (p) => `${CSP_SOURCE}/ext/${p}`,
    ...over,
  };
}

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'no CSP meta tag');
  return m[1]!.replace(/&#39;|&apos;/g, "'");
}

describe('webview HTML and CSP', () => {
  it('allows nothing by default, scripts only by nonce, styles/fonts/images only from the webview origin', () => {
    assert.equal(contentSecurityPolicy(CSP_SOURCE, 'abc'),
      `default-src 'none'; script-src 'nonce-abc'; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; img-src ${CSP_SOURCE} data:`);
  });

  it('puts that CSP in the page and the nonce on its only script', () => {
    const html = webviewHtml(aPage({ nonce: 'N0nce+/=' }));
    assert.equal(cspOf(html), contentSecurityPolicy(CSP_SOURCE, 'N0nce+/='));
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="N0nce+/=" src="${CSP_SOURCE}/ext/dist/webviews/project/index.js">`]);
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${CSP_SOURCE.replace(/[.+]/g, '\\$&')}/ext/dist/webviews/project/index.css">`));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|<style/);
  });

  it('uses a fresh nonce of 128 random bits on every call', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => cspOf(webviewHtml(aPage())).match(/'nonce-([^']+)'/)![1]));
    assert.equal(nonces.size, 50);
    assert.equal(Buffer.from(makeNonce(), 'base64').length, 16);
  });

  it('leaves out the stylesheet link when the bundle has no CSS, and escapes the title', () => {
    const html = webviewHtml(aPage({ hasStylesheet: false, title: '<b>"x"</b>' }));
    assert.doesNotMatch(html, /<link/);
    assert.match(html, /<title>&lt;b&gt;"x"&lt;\/b&gt;<\/title>/);
  });

  it('limits resource roots to the built webview folder and media/', () => {
    assert.deepEqual(resourceRoots('project'), ['dist/webviews/project', 'media']);
  });
});

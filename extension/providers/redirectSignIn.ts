import * as vscode from 'vscode';
import type { CredentialMeta } from '../../backend/contract';
import type { ApiClient } from '../core/apiClient';
import type { Logger } from '../core/ports';
import type { UriRouter } from '../core/uriRouter';
import { parsePastedCode } from './pastedCode';

export const OAUTH_CALLBACK_PATH = '/oauth/callback';

/** The browser sign-in in progress (or the last one). */
export interface RedirectSignInState {
  providerId: string;
  authorizeUrl: string;
  /** The redirect URI the provider was given (from vscode.env.asExternalUri). */
  redirectUri: string;
  /** How the code arrived: through the URI handler, or pasted. */
  via: 'uri' | 'paste' | undefined;
}

interface Pending {
  providerId: string;
  state: string;
  settle: (r: { code: string; state: string; via: 'uri' | 'paste' } | { error: string } | undefined) => void;
}

/**
 * Authorisation code + PKCE through the browser. The API makes the state and verifier; the
 * extension opens the provider's page with vscode.env.openExternal and waits for the redirect to
 * vscode://<publisher>.<name>/oauth/callback (through the extension's one URI handler), while a
 * "paste the code" box is open at once for providers that cannot redirect to the editor.
 */
export class RedirectSignIn implements vscode.Disposable {
  private _current: RedirectSignInState | undefined;
  private pending: Pending | undefined;
  private readonly route: { dispose(): void };

  constructor(private readonly log: Logger, router: UriRouter, private readonly extensionId: string) {
    this.route = router.register(OAUTH_CALLBACK_PATH, (query) => this.onRedirect(query));
  }

  get current(): RedirectSignInState | undefined { return this._current; }

  async run(api: ApiClient, providerId: string, providerName: string): Promise<CredentialMeta | undefined> {
    this.pending?.settle(undefined);
    const editorUri = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}${OAUTH_CALLBACK_PATH}`);
    const redirectUri = (await vscode.env.asExternalUri(editorUri)).toString(true);
    const auth = await api.authorizeRedirect(providerId, redirectUri);
    this._current = { providerId, authorizeUrl: auth.authorizeUrl, redirectUri, via: undefined };
    const answer = new Promise<Parameters<Pending['settle']>[0]>((resolve) => {
      this.pending = { providerId, state: auth.state, settle: resolve };
    });
    this.log.info(`browser sign-in for ${providerId} started (redirect ${auth.editorRedirect ? 'to the editor' : 'to the provider\'s code page'})`);
    const input = this.pasteBox(providerName, auth.state, auth.editorRedirect);
    await vscode.env.openExternal(vscode.Uri.parse(auth.authorizeUrl));
    const expiry = setTimeout(() => this.pending?.settle({ error: 'the sign-in was not finished within 10 minutes' }), Math.max(0, Date.parse(auth.expiresAt) - Date.now()));
    const got = await Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Waiting for the sign-in to ${providerName} in your browser…`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => this.pending?.settle(undefined));
        return answer;
      })).finally(() => clearTimeout(expiry));
    input.dispose();
    this.pending = undefined;
    if (!got) return undefined;
    if ('error' in got) {
      void vscode.window.showErrorMessage(`Hangar: signing in to ${providerName} failed: ${got.error}`);
      return undefined;
    }
    if (this._current) this._current.via = got.via;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Finishing the sign-in to ${providerName}…` },
      () => api.completeRedirect(providerId, got.state, got.code));
  }

  /** The progress notification's Cancel. */
  cancel(): void {
    this.pending?.settle(undefined);
  }

  dispose(): void {
    this.pending?.settle(undefined);
    this.route.dispose();
  }

  private pasteBox(providerName: string, state: string, editorRedirect: boolean): vscode.InputBox {
    const input = vscode.window.createInputBox();
    input.title = `Sign in to ${providerName}`;
    input.prompt = editorRedirect
      ? `Finish signing in in your browser; VS Code continues by itself. If the page shows a code instead, paste it here.`
      : `${providerName} shows a code after you sign in: paste it here.`;
    input.placeholder = 'code, code#state, or the address the page ended on';
    input.ignoreFocusOut = true;
    input.password = false;
    // Closing the box while waiting for the browser keeps waiting; the notification says how to stop.
    input.onDidAccept(() => {
      const parsed = parsePastedCode(input.value, state);
      if ('error' in parsed) {
        input.validationMessage = parsed.error;
        return;
      }
      this.pending?.settle({ ...parsed, via: 'paste' });
    });
    input.show();
    return input;
  }

  private onRedirect(query: URLSearchParams): void {
    const state = query.get('state') ?? '';
    const p = this.pending;
    if (!p || p.state !== state) {
      this.log.warn('a sign-in redirect arrived that matches no sign-in in progress; ignored');
      void vscode.window.showWarningMessage('Hangar: this sign-in link does not belong to a sign-in in progress in this window. Start the sign-in again.');
      return;
    }
    const error = query.get('error');
    if (error) return p.settle({ error: `${error}${query.get('error_description') ? `: ${query.get('error_description')}` : ''}` });
    const code = query.get('code');
    if (!code) return p.settle({ error: 'the provider sent no code' });
    p.settle({ code, state, via: 'uri' });
  }
}

// The Desktop (VNC) webview: the project's screen through noVNC over the API's ticketed bridge.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../shared/base.css';
import './desktop.css';
import { render } from 'preact';
import { DesktopHostToWebview, DesktopPersistedState, DesktopWebviewToHost } from '../protocol/desktop';
import { Ipc } from '../shared/ipc';
import { App } from './App';

const ipc = new Ipc({ incoming: DesktopHostToWebview, outgoing: DesktopWebviewToHost, state: DesktopPersistedState });
const root = document.getElementById('root');
if (root) render(<App ipc={ipc} />, root);

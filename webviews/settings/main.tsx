// The Hangar settings webview. Only the vscode-elements it renders are imported (bundle budget).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '../shared/base.css';
import './settings.css';
import { render } from 'preact';
import { SettingsHostToWebview, SettingsPersistedState, SettingsWebviewToHost } from '../protocol/settings';
import { Ipc } from '../shared/ipc';
import { App } from './App';

const ipc = new Ipc({ incoming: SettingsHostToWebview, outgoing: SettingsWebviewToHost, state: SettingsPersistedState });
const root = document.getElementById('root');
if (root) render(<App ipc={ipc} />, root);

// The Project details webview. Only the vscode-elements it renders are imported (bundle budget).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '../shared/base.css';
import './project.css';
import { render } from 'preact';
import { ProjectHostToWebview, ProjectPersistedState, ProjectWebviewToHost } from '../protocol/project';
import { Ipc } from '../shared/ipc';
import { App } from './App';

const ipc = new Ipc({ incoming: ProjectHostToWebview, outgoing: ProjectWebviewToHost, state: ProjectPersistedState });
const root = document.getElementById('root');
if (root) render(<App ipc={ipc} />, root);

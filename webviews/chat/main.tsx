// The Chat webview. Only the vscode-elements it renders are imported (bundle budget).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '../shared/base.css';
import './chat.css';
import { render } from 'preact';
import { ChatHostToWebview, ChatPersistedState, ChatWebviewToHost } from '../protocol/chat';
import { Ipc } from '../shared/ipc';
import { App } from './App';

const ipc = new Ipc({ incoming: ChatHostToWebview, outgoing: ChatWebviewToHost, state: ChatPersistedState });
const root = document.getElementById('root');
if (root) render(<App ipc={ipc} />, root);

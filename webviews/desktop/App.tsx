import { useEffect, useRef, useState } from 'preact/hooks';
import type {
  DesktopConnectionState, DesktopHostToWebview, DesktopPersistedState, DesktopProject, DesktopWebviewToHost,
} from '../protocol/desktop';
import type { Ipc } from '../shared/ipc';
import { Screen } from './screen';

export type DesktopIpc = Ipc<DesktopHostToWebview, DesktopWebviewToHost, DesktopPersistedState>;

const STATE_LABEL: Record<DesktopConnectionState, string> = {
  idle: 'Idle', connecting: 'Connecting…', connected: 'Connected', disconnected: 'Reconnecting…', unavailable: 'Unavailable',
};

export function App({ ipc }: { ipc: DesktopIpc }) {
  const saved = ipc.getState();
  const [viewOnly, setViewOnly] = useState(saved?.viewOnly ?? false);
  const [scale, setScale] = useState<'fit' | 'native'>(saved?.scale ?? 'fit');
  const [state, setState] = useState<DesktopConnectionState>('idle');
  const [detail, setDetail] = useState<string | undefined>();
  const [project, setProject] = useState<DesktopProject | undefined>();
  const [clip, setClip] = useState('');
  const [note, setNote] = useState<string | undefined>();
  /** Set when the panel stopped retrying: which button the banner offers. */
  const [gaveUp, setGaveUp] = useState<'retry' | 'redeploy' | undefined>();
  const target = useRef<HTMLDivElement>(null);
  const screen = useRef<Screen | undefined>(undefined);
  const options = useRef({ viewOnly, scale });
  options.current = { viewOnly, scale };

  const report = (s: DesktopConnectionState, d?: string) => {
    setState(s);
    setDetail(d);
    const sc = screen.current;
    ipc.post({
      type: 'desktop.state', state: s, ...(d ? { detail: d } : {}), viewOnly: options.current.viewOnly, scale: options.current.scale,
      connects: sc?.connects ?? 0, ...(sc?.width ? { width: sc.width, height: sc.height } : {}),
    });
  };

  useEffect(() => {
    const el = target.current;
    if (!el) return undefined;
    const sc = new Screen(el, {
      requestTicket: (reason) => ipc.post({ type: 'desktop.requestTicket', reason }),
      onState: (s, d) => {
        if (s === 'connecting' || s === 'connected') setGaveUp(undefined);
        report(s, d);
      },
      onGaveUp: (_message, action) => setGaveUp(action),
    }, options.current);
    screen.current = sc;
    let lastStatus: string | undefined;
    ipc.listen({
      'desktop.connect': ({ url }) => sc.connect(url),
      'desktop.unavailable': ({ message, retry, action }) => sc.unavailable(message, retry, action),
      'desktop.project': ({ project: p }) => {
        setProject(p);
        if (p.status === 'running' && lastStatus !== undefined && lastStatus !== 'running') sc.nudge();
        lastStatus = p.status;
      },
    });
    ipc.post({ type: 'ready' });
    sc.start();
    return () => {
      sc.dispose();
      ipc.dispose();
    };
  }, [ipc]);

  useEffect(() => {
    screen.current?.setOptions({ viewOnly, scale });
    ipc.setState({ v: 1, viewOnly, scale });
    if (screen.current) report(state, detail);
  }, [viewOnly, scale]);

  const screenshot = () => {
    const png = screen.current?.screenshot();
    if (!png) return;
    setNote(undefined);
    ipc.request({ type: 'desktop.screenshot', png }, 10 * 60_000)
      .catch((e: unknown) => setNote(`Screenshot not saved: ${e instanceof Error ? e.message : String(e)}`));
  };
  const paste = () => {
    if (!clip) return;
    screen.current?.paste(clip);
    setNote('Sent to the remote clipboard.');
  };
  const connected = state === 'connected';

  return (
    <div class="desk">
      <div class="desk-bar" role="toolbar" aria-label="Desktop">
        <span class={`desk-state desk-${state}`} role="status" title={detail}>
          <span class="desk-dot" aria-hidden="true" />
          {STATE_LABEL[state]}
        </span>
        <span class="desk-title">{project ? project.name : ''}</span>
        <span class="desk-spacer" />
        <div class="desk-group" role="group" aria-label="Scale">
          <vscode-button secondary={scale !== 'fit'} onClick={() => setScale('fit')} title="Scale the screen to fit the panel">Fit</vscode-button>
          <vscode-button secondary={scale !== 'native'} onClick={() => setScale('native')} title="Show the screen 1:1 (scroll to see all of it)">1:1</vscode-button>
        </div>
        <div class="desk-group" role="group" aria-label="Input">
          <vscode-button secondary={!viewOnly} onClick={() => setViewOnly(true)} title="Watch only: nothing you do reaches the desktop">View only</vscode-button>
          <vscode-button secondary={viewOnly} onClick={() => { setViewOnly(false); screen.current?.focus(); }} title="Take control: your mouse and keyboard drive the desktop">Control</vscode-button>
        </div>
        <vscode-button secondary disabled={!connected || viewOnly} onClick={() => screen.current?.ctrlAltDel()} title="Send Ctrl+Alt+Del">Ctrl+Alt+Del</vscode-button>
        <vscode-button secondary disabled={!connected} onClick={screenshot} title="Save the screen as a PNG file">Screenshot</vscode-button>
      </div>
      <div class="desk-clip">
        <input
          class="desk-clip-input" type="text" value={clip} placeholder="Text for the remote clipboard"
          aria-label="Text for the remote clipboard" onInput={(e) => setClip((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => { if (e.key === 'Enter') paste(); }}
        />
        <vscode-button secondary disabled={!connected || viewOnly || !clip} onClick={paste}>Send to clipboard</vscode-button>
        {note ? <span class="desk-note">{note}</span> : null}
      </div>
      {state !== 'connected' && detail ? (
        <div class="desk-banner" role="alert">
          {detail}
          {gaveUp === 'retry' ? <vscode-button onClick={() => screen.current?.nudge()}>Try again</vscode-button> : null}
          {gaveUp === 'redeploy' ? <vscode-button onClick={() => ipc.post({ type: 'desktop.redeploy' })}>Redeploy</vscode-button> : null}
        </div>
      ) : null}
      <div class={`desk-screen desk-scale-${scale}${viewOnly ? ' desk-viewonly' : ''}`} ref={target} />
    </div>
  );
}

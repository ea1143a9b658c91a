import fs from 'node:fs';
import path from 'node:path';
import { PlanBuilder, which, type RootfsPlan } from './hostFiles';
import { planLocalCliImage, type CliImageSources } from './localCliImage';

export interface DesktopImageSources extends CliImageSources {
  /** media/images/desktop/desktop-start.sh */
  desktopStart: string;
  /** The folder of the `ws` npm package (the websocket bridge's one dependency). */
  wsPackage: string;
  /** The node executable that runs the bridge in the image. */
  node: string;
}

const XKB = '/usr/share/X11/xkb';

// websocket → TCP, in place of Python websockify (noVNC's static files are not served: Hangar's
// webview brings its own noVNC client).
const BRIDGE = `// Hangar's websocket → TCP bridge, in place of websockify (backend/runtime/docker/images/localDesktopImage.ts).
import net from 'node:net';
import { WebSocketServer } from 'ws';
const [listen, target] = process.argv.slice(2);
const split = (a) => { const i = a.lastIndexOf(':'); const h = a.slice(0, i) || '0.0.0.0'; return [h === 'localhost' ? '127.0.0.1' : h, Number(a.slice(i + 1))]; };
const [lhost, lport] = split(listen);
const [thost, tport] = split(target);
const wss = new WebSocketServer({ host: lhost, port: lport, perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false) });
wss.on('connection', (ws, req) => {
  console.log(\`connection from \${req.socket.remoteAddress} to \${req.url}\`);
  const tcp = net.connect(tport, thost);
  const pending = [];
  tcp.on('connect', () => { for (const b of pending.splice(0)) tcp.write(b); });
  ws.on('message', (data) => (tcp.connecting ? pending.push(data) : tcp.write(data)));
  tcp.on('data', (data) => ws.send(data));
  ws.on('close', () => tcp.destroy());
  tcp.on('close', () => ws.close());
  tcp.on('error', (err) => { console.log(\`upstream: \${err.message}\`); ws.close(1011); });
  ws.on('error', () => tcp.destroy());
});
wss.on('listening', () => console.log(\`websocket bridge on \${listen} → \${target}\`));
`;

// desktop-start.sh calls: websockify --web /usr/share/novnc 0.0.0.0:6080 localhost:5900
const WEBSOCKIFY_SHIM = `#!/bin/sh
# Hangar's stand-in for websockify (backend/runtime/docker/images/localDesktopImage.ts).
while [ "$#" -gt 2 ]; do
  case "$1" in --web) shift 2 ;; *) shift ;; esac
done
exec /opt/hangar/node /opt/hangar/ws-bridge.mjs "$1" "$2"
`;

export const LOCAL_DESKTOP_DOCKERFILE = `FROM scratch
COPY rootfs/ /
RUN ["/bin/sh", "-c", "chmod 1777 /tmp /var/lib/xkb && chmod 0755 /usr/bin/websockify /usr/local/bin/hangar-desktop-start && chown -R 1000:1000 /home/hangar /workspace"]
ENV PATH=/usr/local/bin:/usr/bin:/bin \\
    HOME=/home/hangar \\
    OPENCODE_DISABLE_AUTOUPDATE=1 \\
    OPENCODE_DISABLE_LSP_DOWNLOAD=1 \\
    DISPLAY=:1 \\
    HANGAR_SCREEN=1440x900x24
LABEL dev.hangar.image-route="local"
USER hangar
WORKDIR /workspace
VOLUME ["/workspace"]
EXPOSE 4096 6080
ENTRYPOINT ["/usr/local/bin/hangar-entrypoint"]
`;

/**
 * media/images/desktop built FROM scratch: the local cli image's rootfs plus this machine's Xvfb
 * (+ xkbcomp and the xkb data), x11vnc and xsetroot with their libraries, the real desktop-start.sh,
 * and a node websocket bridge in place of websockify. No openbox: desktop-start.sh logs its absence.
 */
export function planLocalDesktopImage(src: DesktopImageSources): RootfsPlan {
  const missing: string[] = [];
  const bins: Record<string, string> = {};
  for (const name of ['Xvfb', 'x11vnc', 'xsetroot', 'xkbcomp']) {
    const p = which(name);
    if (p) bins[name] = p;
    else missing.push(name);
  }
  if (!fs.existsSync(XKB)) missing.push(`${XKB} (xkb-data)`);
  if (!fs.existsSync(path.join(src.wsPackage, 'package.json'))) missing.push(`the ws package at ${src.wsPackage}`);
  if (missing.length) throw new Error(`cannot build the desktop image from this machine's packages, missing: ${missing.join('; ')} (apt-get install xvfb x11vnc x11-xserver-utils x11-xkb-utils xkb-data)`);

  const cli = planLocalCliImage(src);
  const b = new PlanBuilder(LOCAL_DESKTOP_DOCKERFILE);
  for (const [k, v] of cli.files) b.plan.files.set(k, v);
  for (const [k, v] of cli.links) b.plan.links.set(k, v);
  for (const [k, v] of cli.generated) b.plan.generated.set(k, v);
  b.plan.dirs.push(...cli.dirs);
  for (const name of Object.keys(bins)) b.add(`/usr/bin/${name}`, bins[name]!);
  b.add('/opt/hangar/node', fs.realpathSync(src.node));
  b.add('/usr/local/bin/hangar-desktop-start', src.desktopStart);
  b.tree(XKB, XKB);
  b.tree(src.wsPackage, '/opt/hangar/node_modules/ws');
  b.addLibraries();
  b.plan.generated.set('/opt/hangar/ws-bridge.mjs', { content: BRIDGE, mode: 0o755 });
  b.plan.generated.set('/usr/bin/websockify', { content: WEBSOCKIFY_SHIM, mode: 0o755 });
  b.plan.dirs.push('var/lib/xkb');
  b.plan.summary = `${b.plan.files.size} files (desktop)`;
  return b.plan;
}

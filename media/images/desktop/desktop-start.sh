# Sourced by hangar-entrypoint (POSIX sh) before opencode starts: brings up the X stack and exports
# DISPLAY so the agent's tools (browsers, GUI tests) draw on the screen the user watches over VNC.
# VNC itself listens on localhost only; the published port is websockify's 6080 (noVNC at /vnc.html).

export DISPLAY="${DISPLAY:-:1}"
screen="${HANGAR_SCREEN:-1440x900x24}"
logdir="${XDG_STATE_HOME:-$HOME/.local/state}/hangar-desktop"
mkdir -p "$logdir"

Xvfb "$DISPLAY" -screen 0 "$screen" -nolisten tcp -ac > "$logdir/xvfb.log" 2>&1 &
n=0
until [ -e "/tmp/.X11-unix/X${DISPLAY#:}" ]; do
  n=$((n + 1))
  if [ "$n" -gt 100 ]; then echo "hangar-desktop: Xvfb did not start, see $logdir/xvfb.log" >&2; exit 70; fi
  sleep 0.1
done

openbox > "$logdir/openbox.log" 2>&1 &

vnc_auth="-nopw"
if [ -n "${HANGAR_VNC_PASSWORD:-}" ]; then
  x11vnc -storepasswd "$HANGAR_VNC_PASSWORD" "$logdir/passwd" > /dev/null 2>&1
  vnc_auth="-rfbauth $logdir/passwd"
fi
# x11vnc is supervised: when it dies it is started again (the API's bridge reconnects with a new
# ticket), at most 5 times in a row within a minute each; then supervisor.log says it gave up.
supervise_vnc() {
  restarts=0
  while :; do
    started=$(date +%s)
    code=0
    # shellcheck disable=SC2086 # vnc_auth is two words on purpose
    x11vnc -display "$DISPLAY" -localhost -rfbport 5900 -forever -shared -quiet $vnc_auth >> "$logdir/x11vnc.log" 2>&1 || code=$?
    if [ $(( $(date +%s) - started )) -ge 60 ]; then restarts=0; fi
    restarts=$((restarts + 1))
    if [ "$restarts" -gt 5 ]; then
      echo "hangar-desktop: x11vnc exited ($code) $restarts times in a row; gave up, redeploy the project" >> "$logdir/supervisor.log"
      return 1
    fi
    echo "hangar-desktop: x11vnc exited ($code) at $(date -u +%H:%M:%S); restart $restarts" >> "$logdir/supervisor.log"
    sleep 0.2
  done
}
supervise_vnc &

websockify --web /usr/share/novnc 0.0.0.0:6080 localhost:5900 > "$logdir/websockify.log" 2>&1 &
echo "hangar-desktop: DISPLAY=$DISPLAY ($screen), noVNC on :6080"

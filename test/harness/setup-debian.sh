#!/usr/bin/env bash
# Debian packages Hangar's tests need (run as root, or with sudo):
#   chromium          the browser Playwright drives (no browser download is possible here)
#   libkrb5-dev, build-essential, python3   build code-server's native `kerberos` module
#   ripgrep           opencode's text search (otherwise it tries to download rg)
#   git               workspaces and sync
#   xvfb, x11vnc      the desktop tier's screen and VNC server
#   docker.io         a real Docker engine (dockerd) for the docker runtime tests
#   busybox-static    the shell inside the test image built FROM scratch
#   x11-xserver-utils, x11-utils, websockify   xsetroot and xev (the desktop tests draw on and listen to
#                     the screen), websockify (the bridge's websocket upstream, as in the desktop image)
#   openssl           the loopback GitHub's throw-away TLS certificate (test/fixtures/gitHttp)
#   bubblewrap        the local runtime's agent sandbox (backend/runtime/local/sandbox.ts)
set -euo pipefail
PACKAGES=(chromium libkrb5-dev build-essential python3 ripgrep git xvfb x11vnc docker.io busybox-static x11-xserver-utils x11-utils websockify openssl bubblewrap)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-debian: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

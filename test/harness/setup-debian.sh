#!/usr/bin/env bash
# Debian packages Hangar's tests and `npm start` need (run as root, or with sudo):
#   chromium          the browser Playwright drives (no browser download is possible here)
#   libkrb5-dev, build-essential, python3   build code-server's native `kerberos` module (and
#                     better-sqlite3 for the cached Node 24 when the machine's Node is older)
#   ripgrep           opencode's text search (otherwise it tries to download rg)
#   git               workspaces and sync
#   xvfb, x11vnc      the desktop tier's screen and VNC server
#   docker.io         a real Docker engine (dockerd) for the docker runtime tests
#   busybox-static    the shell inside the test image built FROM scratch
#   x11-xserver-utils, x11-utils, websockify   xsetroot and xev (the desktop tests draw on and listen to
#                     the screen), websockify (the bridge's websocket upstream, as in the desktop image)
#   openssl           the loopback GitHub's throw-away TLS certificate (test/fixtures/gitHttp)
#   bubblewrap        the local runtime's agent sandbox (backend/runtime/local/sandbox.ts)
#   postgresql        the PostgreSQL server the integration suite also runs on (test/harness/postgres.mjs)
# Idempotent and fast when everything is there (one dpkg-query). `--check` only lists what is
# missing (exit 1 when something is). Without root and without sudo it prints the exact command
# and exits 2. `npm start` and `npm test` run it themselves (test/harness/prereqs.mjs).
set -euo pipefail
PACKAGES=(chromium libkrb5-dev build-essential python3 ripgrep git xvfb x11vnc docker.io busybox-static x11-xserver-utils x11-utils websockify openssl bubblewrap postgresql)
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-debian: not a Debian-based system (no dpkg-query); install the equivalents of: ${PACKAGES[*]}" >&2
  exit 3
fi
installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '$NF == "installed" && $(NF-1) == "ok" { printf "%s ", $1 }' || true)"
missing=()
for p in "${PACKAGES[@]}"; do
  [[ "$installed" == *" $p "* ]] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: all packages present"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "setup-debian: missing ${missing[*]}"
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
    echo "setup-debian: missing ${missing[*]}, and installing them needs root (no sudo here). Run, as root:" >&2
    echo "  bash $script" >&2
    echo "  (or: apt-get update && apt-get install -y --no-install-recommends ${missing[*]})" >&2
    exit 2
  fi
fi
echo "setup-debian: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

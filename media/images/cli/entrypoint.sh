#!/bin/sh
# Hangar's container entrypoint (cli and desktop images): runs `opencode serve` on 0.0.0.0:4096
# against /workspace. Credentials arrive only as environment from the runtime driver
# (OPENCODE_SERVER_PASSWORD, OPENCODE_AUTH_CONTENT, ...); nothing secret is baked into the image.
# POSIX sh: the test image runs it under busybox.
set -eu

if [ -z "${OPENCODE_SERVER_PASSWORD:-}" ]; then
  echo "hangar-entrypoint: OPENCODE_SERVER_PASSWORD is not set; refusing to serve opencode without a password" >&2
  exit 64
fi

export HOME="${HOME:-/home/hangar}"
export XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-$HOME/.config}"
export XDG_DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}"
export XDG_STATE_HOME="${XDG_STATE_HOME:-$HOME/.local/state}"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"

# Desktop images put their X stack in front (see media/images/desktop/desktop-start.sh).
if [ -x /usr/local/bin/hangar-desktop-start ]; then
  . /usr/local/bin/hangar-desktop-start
fi

WORKSPACE="${HANGAR_WORKSPACE:-/workspace}"
mkdir -p "$WORKSPACE"
cd "$WORKSPACE"

echo "hangar-entrypoint: starting opencode serve in $WORKSPACE"
exec opencode serve --hostname 0.0.0.0 --port "${HANGAR_AGENT_PORT:-4096}" --print-logs "$@"

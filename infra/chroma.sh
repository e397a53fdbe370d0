#!/usr/bin/env bash
# The Chroma server (1.0, HTTP API v2), run from npm with no Python: the chromadb package's CLI with its native
# bindings, pinned by infra/chroma/package-lock.json. Usage: infra/chroma.sh {install|start|stop|status}
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

CHROMA_DIR="$AGENT_BRAIN_HOME/chroma"
CHROMA_NPM="$CHROMA_DIR/npm"
CHROMA_DATA="$CHROMA_DIR/data"
CHROMA_PACKAGE="$AB_INFRA/chroma"

chroma_install() {
  local wanted staging
  wanted="$(ab_fingerprint "$CHROMA_PACKAGE/package.json" "$CHROMA_PACKAGE/package-lock.json")"
  [[ "$(cat "$CHROMA_NPM/.installed" 2>/dev/null)" == "$wanted" ]] && return 0
  if ab_running chroma; then
    ab_warn "chroma: infra/chroma changed; run 'make down up' to install and run the new server"
    return 0
  fi
  command -v npm >/dev/null || ab_die "chroma: npm is missing; install Node.js 20+ (e.g. 'apt-get install nodejs npm')"
  ab_say "chroma: installing the Chroma server from npm ..."
  staging="$CHROMA_DIR/npm.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  cp "$CHROMA_PACKAGE/package.json" "$CHROMA_PACKAGE/package-lock.json" "$staging/"
  # npm ci rejects this lock file: npm cannot lock the optional bindings for other platforms, which the registry
  # lacks at this version. npm install follows the lock file all the same.
  ab_logged_install chroma npm install --prefix "$staging" --no-save --no-audit --no-fund --loglevel=error
  echo "$wanted" >"$staging/.installed"
  rm -rf "$CHROMA_NPM"
  mv "$staging" "$CHROMA_NPM"
}

chroma_ready() { ab_http_ok "http://127.0.0.1:$AGENT_BRAIN_CHROMA_PORT/api/v2/heartbeat"; }

chroma_start() {
  ab_lock chroma
  if ab_running chroma; then
    # running already, perhaps still starting (an interrupted earlier start): wait until it serves
    ab_wait_ready chroma "${AGENT_BRAIN_START_TIMEOUT:-120}" chroma_ready
    return 0
  fi
  chroma_install
  ab_require_free_port "$AGENT_BRAIN_CHROMA_PORT" chroma AGENT_BRAIN_CHROMA_PORT
  mkdir -p "$CHROMA_DATA"
  # The CLI serves in-process (native bindings), so the recorded pid is the server itself.
  ab_spawn chroma "$CHROMA_DIR" node "$CHROMA_NPM/node_modules/chromadb/dist/cli.mjs" run \
    --path "$CHROMA_DATA" --host 127.0.0.1 --port "$AGENT_BRAIN_CHROMA_PORT"
  ab_wait_ready chroma "${AGENT_BRAIN_START_TIMEOUT:-120}" chroma_ready
  ab_say "chroma: started on http://127.0.0.1:$AGENT_BRAIN_CHROMA_PORT"
}

chroma_stop() {
  ab_lock chroma
  ab_running chroma || return 0
  # the server ignores SIGTERM; its CLI exits on SIGINT
  ab_stop chroma INT 15
  ab_say "chroma: stopped"
}

case "${1:-}" in
  install) ab_lock chroma && chroma_install ;;
  start) chroma_start ;;
  stop) chroma_stop ;;
  status) ab_status_line chroma "http://127.0.0.1:$AGENT_BRAIN_CHROMA_PORT" ;;
  *) ab_die "usage: infra/chroma.sh {install|start|stop|status}" ;;
esac

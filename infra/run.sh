#!/usr/bin/env bash
# The whole system on this machine: services up, build, the indexer and the query API in the background, then
# the demo corpus published and searchable. Usage: infra/run.sh {start|stop|status [--if-any]}
#   start   (make run)  idempotent: a running indexer or API is left alone
#   stop    (make stop) stops the indexer and the query API; the services keep running
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
ab_export_client_env

APPS=(indexer serve)
CLI="$AB_REPO/bin/agent-brain"
API="http://127.0.0.1:$AGENT_BRAIN_API_PORT"
DEMO_INDEX=docs
DEMO_QUERY="how do I create an index"

demo_corpus() {
  if [[ -d "$AB_REPO/../shared/data/docs-corpus" ]]; then
    (cd "$AB_REPO/../shared/data/docs-corpus" && pwd -P)
  else
    printf '%s\n' "$AB_REPO/samples/docs"
  fi
}

start_app() {
  local name="$1"
  ab_lock "$name"
  ab_running "$name" && return 0
  ab_spawn "$name" "$AB_REPO" "$CLI" "$name"
  ab_say "$name: started (log $(ab_log_file "$name"))"
}

api_healthy() { ab_http_ok "$API/health"; }

# The CLI's query exits 0 only when it found something; the demo waits until both backends answer.
demo_answers() {
  "$CLI" query --index "$DEMO_INDEX" --backend postgres "$DEMO_QUERY" >"$AB_RUN/demo-query.out" 2>&1 &&
    "$CLI" query --index "$DEMO_INDEX" --backend chroma "$DEMO_QUERY" >>"$AB_RUN/demo-query.out" 2>&1
}

run_start() {
  local corpus deadline timeout="${AGENT_BRAIN_DEMO_TIMEOUT:-600}"
  "$AB_INFRA/services.sh" up
  ab_say "building ..."
  "$AB_INFRA/mvn.sh" -q -B -DskipTests install
  start_app indexer
  start_app serve
  ab_wait_ready serve "${AGENT_BRAIN_START_TIMEOUT:-120}" api_healthy
  ab_running indexer || ab_die "the indexer stopped; see $(ab_log_file indexer)"

  corpus="$(demo_corpus)"
  [[ -d "$corpus" ]] || ab_die "no demo corpus: neither ../shared/data/docs-corpus nor samples/docs exists"
  ab_say "publishing $corpus to index '$DEMO_INDEX' ..."
  "$CLI" publish --index "$DEMO_INDEX" "$corpus"

  ab_say "waiting until the index answers \"$DEMO_QUERY\" (up to ${timeout}s) ..."
  deadline=$((SECONDS + timeout))
  until demo_answers; do
    ab_running indexer || ab_die "the indexer stopped; see $(ab_log_file indexer)"
    ((SECONDS < deadline)) || ab_die "no answer from index '$DEMO_INDEX' after ${timeout}s; see $(ab_log_file indexer) and $AB_RUN/demo-query.out"
    sleep 2
  done
  head -n 30 "$AB_RUN/demo-query.out"
  ab_say ""
  ab_say "Agent Brain runs. Search: $API/?q=${DEMO_QUERY// /+} (both backends: /compare, indexing: /indexing)"
  ab_say "API: POST $API/query, GET $API/health; indexing goes on in the background ($(ab_log_file indexer))."
  ab_say "'make stop' stops the indexer and the API; 'make down' also stops the services (data is kept)."
}

run_stop() {
  local name
  for name in serve indexer; do
    ab_lock "$name"
    if ab_running "$name"; then
      # Kafka Streams commits and closes on SIGTERM, which may take a while
      ab_stop "$name" TERM 150
      ab_say "$name: stopped"
    fi
  done
}

run_status() {
  local name where down=0 only_running="${1:-}"
  for name in "${APPS[@]}"; do
    if [[ "$only_running" == --if-any ]] && ! ab_running "$name"; then
      continue
    fi
    where="-"
    [[ "$name" == serve ]] && where="$API"
    ab_status_line "$name" "$where" || down=1
  done
  [[ "$only_running" == --if-any ]] || return "$down"
}

case "${1:-start}" in
  start) run_start ;;
  stop) run_stop ;;
  status) run_status "${2:-}" ;;
  *) ab_die "usage: infra/run.sh {start|stop|status [--if-any]}" ;;
esac

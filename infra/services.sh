#!/usr/bin/env bash
# All backing services at once: PostgreSQL+pgvector (the machine's), Kafka, Apicurio Registry and Chroma.
# Usage: infra/services.sh {up|down|status}
#   up      install what is missing (Chromium for the browser tests too), start what is not running (a running service is left alone), print where
#   down    stop the indexer and the API (if running), then Kafka, the registry and Chroma; data is kept. The machine's PostgreSQL keeps running.
#   status  one line per service; fails when one is not running
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

OURS=(kafka registry chroma)

# Runs "infra/<name>.sh $1" for every name after it at the same time; fails if any failed.
in_parallel() {
  local action="$1" name failed=()
  shift
  local -A pids=()
  for name in "$@"; do
    "$AB_INFRA/$name.sh" "$action" &
    pids[$name]=$!
  done
  for name in "$@"; do
    wait "${pids[$name]}" || failed+=("$name")
  done
  ((${#failed[@]} == 0)) || ab_die "could not $action: ${failed[*]} (see the messages above)"
}

print_status() {
  local name down=0
  ab_status_row SERVICE STATE ADDRESS PROCESS LOG
  "$AB_INFRA/postgres.sh" status || down=1
  for name in "${OURS[@]}"; do
    "$AB_INFRA/$name.sh" status || down=1
  done
  "$AB_INFRA/run.sh" status --if-any
  return "$down"
}

case "${1:-}" in
  up)
    started=$SECONDS
    ab_init_home
    # first and alone: it may install packages, and the registry keeps its data in it
    "$AB_INFRA/postgres.sh" start
    in_parallel start "${OURS[@]}"
    # the browser tests' Chromium, after PostgreSQL: both may run apt-get
    "$AB_INFRA/chromium.sh" install
    print_status || ab_die "a service is not running after 'up'; see its log above"
    ab_say "up in $((SECONDS - started)) s; state in $AGENT_BRAIN_HOME"
    ;;
  down)
    # the indexer and the API first, while the services they commit to are still there
    "$AB_INFRA/run.sh" stop
    in_parallel stop "${OURS[@]}"
    ab_say "down (data kept in $AGENT_BRAIN_HOME; the machine's PostgreSQL keeps running)"
    ;;
  status) print_status ;;
  *) ab_die "usage: infra/services.sh {up|down|status}" ;;
esac

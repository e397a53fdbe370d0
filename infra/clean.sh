#!/usr/bin/env bash
# `make clean`: stops the indexer, the API and our services, then removes the build output (every target/ beside
# a pom.xml), the state directory (only if it carries the marker `make up` writes) and the databases that
# infra/postgres.sh created (only those that carry its comment). The machine's PostgreSQL and pgvector stay.
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

"$AB_INFRA/run.sh" stop
"$AB_INFRA/services.sh" down

while IFS= read -r -d '' dir; do
  [[ -f "$(dirname "$dir")/pom.xml" ]] && rm -rf "$dir"
done < <(find "$AB_REPO" \( -name .git -o -name .agent-brain -o -name node_modules \) -prune -o -type d -name target -print0 -prune)
ab_say "removed the build output (target/)"

"$AB_INFRA/postgres.sh" drop

if [[ -d "$AGENT_BRAIN_HOME" ]]; then
  case "$AGENT_BRAIN_HOME" in
    / | "$HOME" | "$AB_REPO" | "$(dirname "$AB_REPO")") ab_die "refusing to delete AGENT_BRAIN_HOME=$AGENT_BRAIN_HOME" ;;
  esac
  [[ -f "$AB_HOME_MARKER" ]] ||
    ab_die "refusing to delete $AGENT_BRAIN_HOME: it lacks $(basename "$AB_HOME_MARKER"), so it may not be Agent Brain's state directory"
  rm -rf "$AGENT_BRAIN_HOME"
  ab_say "removed $AGENT_BRAIN_HOME"
fi

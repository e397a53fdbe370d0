#!/usr/bin/env bash
# Maven with the JDK that infra/java-home.sh picks and the service addresses that `make up` uses.
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
ab_export_client_env
cd "$AB_REPO"
ab_mvn "$@"

#!/usr/bin/env bash
# Prints the JDK (21 or newer) that builds and runs Agent Brain: $JAVA_HOME if suitable, else the newest under /usr/lib/jvm.
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
ab_java_home

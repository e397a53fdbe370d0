#!/usr/bin/env bash
# Apicurio Registry (schemas of all events, embedding contracts), run from its distribution on Maven Central and
# kept in PostgreSQL, so registered schemas and contracts survive a restart.
# Usage: infra/registry.sh {install|start|stop|status}
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

REGISTRY_VERSION=3.3.3
REGISTRY_ARTIFACT="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all"
REGISTRY_DIR="$AGENT_BRAIN_HOME/registry"
REGISTRY_APP="$REGISTRY_DIR/app"

registry_install() {
  [[ "$(cat "$REGISTRY_APP/.installed" 2>/dev/null)" == "$REGISTRY_VERSION" ]] && return 0
  if ab_running registry; then
    ab_warn "registry: a different version runs; run 'make down up' to install and run $REGISTRY_VERSION"
    return 0
  fi
  local download="$REGISTRY_DIR/download" staging="$REGISTRY_DIR/app.partial" tarball
  tarball="$download/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  if ! gzip -t "$tarball" 2>/dev/null; then
    ab_say "registry: fetching Apicurio Registry $REGISTRY_VERSION from Maven Central (160 MB) ..."
    rm -rf "$download"
    ab_logged_install registry ab_mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$REGISTRY_ARTIFACT" -DoutputDirectory="$download"
  fi
  rm -rf "$staging"
  mkdir -p "$staging"
  tar -xzf "$tarball" -C "$staging" || ab_die "registry: could not unpack $tarball; delete it and run again"
  [[ -f "$staging/quarkus-run.jar" ]] || ab_die "registry: $tarball holds no quarkus-run.jar"
  echo "$REGISTRY_VERSION" >"$staging/.installed"
  rm -rf "$REGISTRY_APP"
  mv "$staging" "$REGISTRY_APP"
}

registry_ready() { ab_http_ok "http://127.0.0.1:$AGENT_BRAIN_REGISTRY_MANAGEMENT_PORT/health/ready"; }

registry_start() {
  ab_lock registry
  if ab_running registry; then
    # running already, perhaps still starting (an interrupted earlier start): wait until it serves
    ab_wait_ready registry "${AGENT_BRAIN_START_TIMEOUT:-120}" registry_ready
    return 0
  fi
  registry_install
  ab_require_free_port "$AGENT_BRAIN_REGISTRY_PORT" registry AGENT_BRAIN_REGISTRY_PORT
  ab_require_free_port "$AGENT_BRAIN_REGISTRY_MANAGEMENT_PORT" "registry (management)" AGENT_BRAIN_REGISTRY_MANAGEMENT_PORT
  # its storage: the database must exist before the registry creates its tables in it
  "$AB_INFRA/postgres.sh" start

  local java_home java_opts
  java_home="$(ab_java_home)" || exit 1
  mapfile -t java_opts < <(ab_java_native_opts "$java_home")
  export APICURIO_STORAGE_KIND=sql
  export APICURIO_STORAGE_SQL_KIND=postgresql
  export APICURIO_DATASOURCE_URL="jdbc:postgresql://$AGENT_BRAIN_PG_HOST:$AGENT_BRAIN_PG_PORT/$AB_REGISTRY_DATABASE"
  export APICURIO_DATASOURCE_USERNAME="$AGENT_BRAIN_PG_USER"
  export APICURIO_DATASOURCE_PASSWORD="$AGENT_BRAIN_PG_PASSWORD"
  # the default pool holds 20-100 connections; a handful serves one machine
  export APICURIO_DATASOURCE_JDBC_INITIAL_SIZE=1 APICURIO_DATASOURCE_JDBC_MIN_SIZE=1 APICURIO_DATASOURCE_JDBC_MAX_SIZE=5
  # Deleting artifacts, versions and groups is off by default; tests and index clean-up need it.
  ab_spawn registry "$REGISTRY_DIR" "$java_home/bin/java" "${java_opts[@]}" -Xmx256m -XX:+ExitOnOutOfMemoryError \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$AGENT_BRAIN_REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$AGENT_BRAIN_REGISTRY_MANAGEMENT_PORT" \
    -Dapicurio.rest.deletion.group.enabled=true -Dapicurio.rest.deletion.artifact.enabled=true \
    -Dapicurio.rest.deletion.artifact-version.enabled=true \
    -jar "$REGISTRY_APP/quarkus-run.jar"
  ab_wait_ready registry "${AGENT_BRAIN_START_TIMEOUT:-120}" registry_ready
  ab_say "registry: started on http://127.0.0.1:$AGENT_BRAIN_REGISTRY_PORT (data in PostgreSQL database $AB_REGISTRY_DATABASE)"
}

registry_stop() {
  ab_lock registry
  ab_running registry || return 0
  ab_stop registry TERM 30
  ab_say "registry: stopped"
}

case "${1:-}" in
  install) ab_lock registry && registry_install ;;
  start) registry_start ;;
  stop) registry_stop ;;
  status) ab_status_line registry "http://127.0.0.1:$AGENT_BRAIN_REGISTRY_PORT" ;;
  *) ab_die "usage: infra/registry.sh {install|start|stop|status}" ;;
esac

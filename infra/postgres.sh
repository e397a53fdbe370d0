#!/usr/bin/env bash
# PostgreSQL with pgvector. Agent Brain uses the machine's own server (it is not ours: `make down` leaves it
# running); this script installs it from Debian's packages when it is absent, starts it when it is down, creates
# our databases and makes the pgvector extension available, building it from Debian's source package when no
# binary package exists (Debian bookworm has none).
# Usage: infra/postgres.sh {install|start|status|drop}   (drop: our databases, for `make clean`)
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

PG_WORK="$AGENT_BRAIN_HOME/postgres"
PG_INSTALL_LOG="$(ab_log_file postgres-install)"
DB_COMMENT="created by Agent Brain (infra/postgres.sh)"

export PGHOST="$AGENT_BRAIN_PG_HOST" PGPORT="$AGENT_BRAIN_PG_PORT" PGUSER="$AGENT_BRAIN_PG_USER"
export PGPASSWORD="$AGENT_BRAIN_PG_PASSWORD" PGCONNECT_TIMEOUT=5

pg_sql() {
  local db="$1"
  shift
  psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}

pg_local() { [[ "$AGENT_BRAIN_PG_HOST" =~ ^(127\.0\.0\.1|localhost|::1)$ ]]; }

pg_reachable() { pg_isready -q -t 2 2>/dev/null; }

# The local cluster that listens on our port: "<version> <name>", or nothing.
pg_local_cluster() {
  command -v pg_lsclusters >/dev/null || return 0
  pg_lsclusters -h 2>/dev/null | awk -v port="$AGENT_BRAIN_PG_PORT" '$3 == port { print $1, $2; exit }'
}

# Major version of the server we use: asked of the running server, else of the local cluster on our port.
pg_major() {
  local cluster
  if pg_reachable; then
    pg_sql postgres -c 'SHOW server_version_num' | awk '{ print int($1 / 10000) }'
    return
  fi
  cluster="$(pg_local_cluster)"
  [[ -n "$cluster" ]] || ab_die "postgres: no PostgreSQL cluster listens on port $AGENT_BRAIN_PG_PORT"
  printf '%s\n' "${cluster%% *}"
}

pg_install_server() {
  pg_local || return 0
  [[ -n "$(pg_local_cluster)" ]] && return 0
  pg_reachable && return 0
  if command -v pg_lsclusters >/dev/null && [[ -n "$(pg_lsclusters -h 2>/dev/null)" ]]; then
    ab_die "postgres: this machine has PostgreSQL clusters, but none on port $AGENT_BRAIN_PG_PORT (see pg_lsclusters); set AGENT_BRAIN_PG_PORT"
  fi
  ab_say "postgres: installing PostgreSQL from Debian's packages ..."
  ab_apt_install postgres postgresql postgresql-contrib
  local cluster version name hba
  cluster="$(pg_lsclusters -h | awk '{ print $1, $2; exit }')"
  [[ -n "$cluster" ]] || ab_die "postgres: the postgresql package created no cluster; see $PG_INSTALL_LOG"
  version="${cluster%% *}"
  name="${cluster#* }"
  # A fresh Debian cluster asks loopback clients for a password. We installed it, for this project alone: let
  # loopback connections in without one, as the project's machines are set up (see README, PostgreSQL).
  hba="/etc/postgresql/$version/$name/pg_hba.conf"
  ab_as_root sed -i -E 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1\/32|::1\/128)[[:space:]]+)[a-z0-9-]+/\1trust/' "$hba"
  ab_as_root sed -i -E "s/^#?port = [0-9]+/port = $AGENT_BRAIN_PG_PORT/" "/etc/postgresql/$version/$name/postgresql.conf"
  # the package may have started the cluster already, with the settings from before these edits
  if pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1 == v && $2 == n && $4 == "online" { found = 1 } END { exit !found }'; then
    ab_as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" restart
  fi
}

pg_start_server() {
  pg_reachable && return 0
  pg_local || ab_die "postgres: $AGENT_BRAIN_PG_HOST:$AGENT_BRAIN_PG_PORT does not answer; start that server, or unset AGENT_BRAIN_PG_HOST to use this machine's"
  local cluster version name deadline log
  cluster="$(pg_local_cluster)"
  [[ -n "$cluster" ]] || ab_die "postgres: no local cluster listens on port $AGENT_BRAIN_PG_PORT (see pg_lsclusters)"
  version="${cluster%% *}"
  name="${cluster#* }"
  log="/var/log/postgresql/postgresql-$version-$name.log"
  ab_say "postgres: starting the machine's PostgreSQL $version cluster '$name' ..."
  ab_as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start ||
    ab_die "postgres: pg_ctlcluster could not start cluster $version/$name; see $log"
  deadline=$((SECONDS + ${AGENT_BRAIN_START_TIMEOUT:-120}))
  until pg_reachable; do
    ((SECONDS < deadline)) || ab_die "postgres: cluster $version/$name did not accept connections in time; see $log"
    sleep 0.5
  done
}

pg_check_login() {
  pg_sql postgres -c 'SELECT 1' >/dev/null 2>&1 ||
    ab_die "postgres: cannot log in to $AGENT_BRAIN_PG_HOST:$AGENT_BRAIN_PG_PORT as '$AGENT_BRAIN_PG_USER' ($(pg_sql postgres -c 'SELECT 1' 2>&1 | head -1)). Set AGENT_BRAIN_PG_USER/AGENT_BRAIN_PG_PASSWORD, or allow loopback logins in pg_hba.conf."
}

pg_ensure_database() {
  local db="$1"
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || ab_die "postgres: database name '$db' must be lower-case letters, digits and _"
  [[ -n "$(pg_sql postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]] && return 0
  pg_sql postgres -c "CREATE DATABASE $db" -c "COMMENT ON DATABASE $db IS '$DB_COMMENT'"
  ab_say "postgres: created database $db"
}

pg_vector_available() {
  [[ -n "$(pg_sql postgres -c "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")" ]]
}

# The Debian mirror this machine already uses for its own release (so no address is written down here).
debian_mirror() {
  local codename
  codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v c="$codename" '
      /^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) { print uri; exit } }'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk -v c="$codename" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i == c) { print $(i - 1); exit } }'
  } | grep -E '^https?://' | head -1 || true
}

pgvector_tarball() { find "$1" -maxdepth 1 -name 'pgvector_*.orig.tar.*' -print -quit 2>/dev/null; }

# Builds pgvector from Debian trixie's source package against this server's headers and installs it. The source
# list lives in our state directory (apt -o Dir::...), so the machine's apt configuration is not changed.
pg_build_vector() {
  local major="$1" mirror apt_dir source_dir tarball build pg_config
  mirror="$(debian_mirror)"
  [[ -n "$mirror" ]] || ab_die "postgres: found no Debian mirror in /etc/apt to fetch pgvector's source from; install pgvector for PostgreSQL $major by hand"
  ab_say "postgres: building pgvector from Debian's source package (about a minute) ..."
  ab_apt_install postgres "postgresql-server-dev-$major" make gcc
  pg_config="/usr/lib/postgresql/$major/bin/pg_config"
  [[ -x "$pg_config" ]] || ab_die "postgres: $pg_config is missing after installing postgresql-server-dev-$major"

  apt_dir="$PG_WORK/apt"
  source_dir="$PG_WORK/pgvector-source"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/sources.list.d" "$apt_dir/cache/archives/partial" "$source_dir"
  cat >"$apt_dir/sources.list.d/debian-trixie-src.sources" <<EOF
Types: deb-src
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root" -q)
  tarball="$(pgvector_tarball "$source_dir")"
  if [[ -z "$tarball" ]]; then
    ab_logged_install postgres apt-get "${apt_opts[@]}" update
    (cd "$source_dir" && ab_logged_install postgres apt-get "${apt_opts[@]}" source --download-only pgvector)
    tarball="$(pgvector_tarball "$source_dir")"
    [[ -n "$tarball" ]] || ab_die "postgres: apt-get source pgvector left no .orig tarball in $source_dir; see $PG_INSTALL_LOG"
  fi
  # a fresh build tree every time: an interrupted earlier build leaves nothing half-made behind
  build="$PG_WORK/pgvector-build"
  rm -rf "$build"
  mkdir -p "$build"
  tar -xf "$tarball" -C "$build" --strip-components=1
  ab_logged_install postgres make -C "$build" PG_CONFIG="$pg_config" OPTFLAGS=""
  ab_logged_install postgres ab_as_root make -C "$build" PG_CONFIG="$pg_config" install
  ab_say "postgres: pgvector $(basename "$tarball" | sed -E 's/pgvector_([^.]+\.[^.]+\.[^.]+)\.orig.*/\1/') installed"
}

# Makes the server offer pgvector: Debian's binary package where one exists, else a build from source.
pg_install_vector() {
  local major
  pg_vector_available && return 0
  pg_local || ab_die "postgres: the server at $AGENT_BRAIN_PG_HOST offers no pgvector; install the extension there (https://github.com/pgvector/pgvector)"
  major="$(pg_major)"
  if apt-cache show "postgresql-$major-pgvector" >/dev/null 2>&1; then
    ab_say "postgres: installing postgresql-$major-pgvector ..."
    ab_apt_install postgres "postgresql-$major-pgvector"
  else
    pg_build_vector "$major"
  fi
  pg_vector_available || ab_die "postgres: pgvector was installed but the server does not offer it; see $PG_INSTALL_LOG"
}

pg_create_vector() {
  pg_sql "$AGENT_BRAIN_PG_DATABASE" -c 'CREATE EXTENSION IF NOT EXISTS vector' 2>/dev/null ||
    ab_die "postgres: CREATE EXTENSION vector failed in $AGENT_BRAIN_PG_DATABASE ($(pg_sql "$AGENT_BRAIN_PG_DATABASE" -c 'CREATE EXTENSION IF NOT EXISTS vector' 2>&1 | head -1)); it needs a superuser"
}

# The query API's login: it may read Agent Brain's tables and nothing else. SELECT on every table there is and
# on every table the writer (AGENT_BRAIN_PG_USER, the indexer) creates later; no CREATE in schema public (PostgreSQL
# 15 gives PUBLIC none; older servers did, so it is taken back here, in our database only, and granted to the
# writer by name); no TEMPORARY tables (every server gives PUBLIC that, even in read-only transactions, and a temp
# table can fill the disk; taken back in our database and granted to the writer); and read-only transactions by
# default, so even a grant made by mistake does not let it write.
pg_ensure_reader() {
  local db="$AGENT_BRAIN_PG_DATABASE" reader="$AGENT_BRAIN_PG_READ_USER" writer="$AGENT_BRAIN_PG_USER"
  [[ "$reader" =~ ^[a-z_][a-z0-9_]*$ ]] || ab_die "postgres: AGENT_BRAIN_PG_READ_USER '$reader' must be lower-case letters, digits and _"
  [[ "$reader" != "$writer" ]] || ab_die "postgres: AGENT_BRAIN_PG_READ_USER must differ from AGENT_BRAIN_PG_USER ('$writer'): the query API reads with a login that cannot write"
  if [[ -z "$(pg_sql postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$reader'")" ]]; then
    pg_sql postgres -c "CREATE ROLE $reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION" \
      -c "COMMENT ON ROLE $reader IS '$DB_COMMENT'"
    ab_say "postgres: created the query API's read-only role $reader"
  fi
  # the password goes to psql as a variable, quoted by psql (:'name'), never spliced into the SQL text
  if [[ -n "${AGENT_BRAIN_PG_READ_PASSWORD:-}" ]]; then
    printf 'ALTER ROLE %s PASSWORD :%s;\n' "$reader" "'password'" |
      pg_sql postgres -v password="$AGENT_BRAIN_PG_READ_PASSWORD" >/dev/null
  fi
  pg_sql "$db" >/dev/null <<SQL
ALTER ROLE $reader SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE $db TO $reader;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE TEMPORARY ON DATABASE $db FROM PUBLIC;
GRANT TEMPORARY ON DATABASE $db TO "$writer";
GRANT USAGE, CREATE ON SCHEMA public TO "$writer";
GRANT USAGE ON SCHEMA public TO $reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $reader;
ALTER DEFAULT PRIVILEGES FOR ROLE "$writer" IN SCHEMA public GRANT SELECT ON TABLES TO $reader;
SQL
}

pg_start() {
  ab_lock postgres
  pg_install_server
  pg_start_server
  pg_check_login
  pg_install_vector
  pg_ensure_database "$AGENT_BRAIN_PG_DATABASE"
  pg_ensure_database "$AB_REGISTRY_DATABASE"
  pg_create_vector
  pg_ensure_reader
}

pg_status() {
  local where="$AGENT_BRAIN_PG_HOST:$AGENT_BRAIN_PG_PORT" cluster vector
  cluster="$(pg_local_cluster)"
  local log="/var/log/postgresql/postgresql-${cluster% *}-${cluster#* }.log"
  [[ -n "$cluster" ]] || log="(not a local cluster)"
  if pg_reachable; then
    vector="$(pg_sql "$AGENT_BRAIN_PG_DATABASE" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" 2>/dev/null || true)"
    ab_status_row postgres running "$where" "pgvector ${vector:-MISSING}" "$log"
    [[ -n "$vector" ]]
  else
    ab_status_row postgres stopped "$where" "-" "$log"
    return 1
  fi
}

# Drops the databases that pg_ensure_database created and the role pg_ensure_reader created (they carry its
# comment), and no other.
pg_drop_ours() {
  local db
  pg_reachable || return 0
  for db in "$AGENT_BRAIN_PG_DATABASE" "$AB_REGISTRY_DATABASE"; do
    [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || continue
    if [[ "$(pg_sql postgres -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")" == "$DB_COMMENT" ]]; then
      pg_sql postgres -c "DROP DATABASE $db" ||
        ab_die "postgres: could not drop database $db; is a program still connected to it?"
      ab_say "postgres: dropped database $db"
    fi
  done
  # the read-only role, once its database is gone (its grants lived there), when pg_ensure_reader made it
  db="$AGENT_BRAIN_PG_READ_USER"
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || return 0
  if [[ "$(pg_sql postgres -c "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '$db'")" == "$DB_COMMENT" ]] &&
    [[ -z "$(pg_sql postgres -c "SELECT 1 FROM pg_database WHERE datname = '$AGENT_BRAIN_PG_DATABASE'")" ]]; then
    pg_sql postgres -c "DROP ROLE $db" && ab_say "postgres: dropped role $db"
  fi
}

case "${1:-}" in
  install)
    ab_lock postgres
    pg_install_server
    # whether pgvector is offered, and for which version to build it, only the running server can tell
    pg_start_server
    pg_check_login
    pg_install_vector
    ;;
  start) pg_start ;;
  status) pg_status ;;
  drop) ab_lock postgres && pg_drop_ours ;;
  *) ab_die "usage: infra/postgres.sh {install|start|status|drop}" ;;
esac

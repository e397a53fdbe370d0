# shellcheck shell=bash
# Helpers shared by the infra scripts, the Makefile and bin/agent-brain. Source it; it only defines
# variables and functions and prints nothing.
#
# Layout of the state directory ($AGENT_BRAIN_HOME, git-ignored):
#   run/<name>.pid      "<pid> <start-time>" of a process we started (the start time guards against pid reuse)
#   logs/<name>.log     its output; the previous run's output is kept as <name>.log.1
#   <component>/...     downloads, installs and data of one component

AB_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# shellcheck disable=SC2034 # used by the scripts that source this file
AB_INFRA="$AB_REPO/infra"

AGENT_BRAIN_HOME="${AGENT_BRAIN_HOME:-$AB_REPO/.agent-brain}"
case "$AGENT_BRAIN_HOME" in
  /*) ;;
  *) AGENT_BRAIN_HOME="$PWD/$AGENT_BRAIN_HOME" ;;
esac
export AGENT_BRAIN_HOME

: "${AGENT_BRAIN_KAFKA_PORT:=19092}"
: "${AGENT_BRAIN_KAFKA_CONTROLLER_PORT:=19093}"
: "${AGENT_BRAIN_REGISTRY_PORT:=18080}"
: "${AGENT_BRAIN_REGISTRY_MANAGEMENT_PORT:=18081}"
: "${AGENT_BRAIN_CHROMA_PORT:=18000}"
: "${AGENT_BRAIN_PG_HOST:=127.0.0.1}"
: "${AGENT_BRAIN_PG_PORT:=5432}"
: "${AGENT_BRAIN_PG_DATABASE:=agentbrain}"
: "${AGENT_BRAIN_PG_USER:=postgres}"
: "${AGENT_BRAIN_PG_PASSWORD:=}"
: "${AGENT_BRAIN_PG_READ_USER:=agentbrain_reader}"
: "${AGENT_BRAIN_API_PORT:=18888}"
# shellcheck disable=SC2034
AB_REGISTRY_DATABASE="${AGENT_BRAIN_REGISTRY_DATABASE:-agentbrain_registry}"

AB_RUN="$AGENT_BRAIN_HOME/run"
AB_LOGS="$AGENT_BRAIN_HOME/logs"
# Written when the state directory is created; `make clean` deletes only a directory that carries it.
AB_HOME_MARKER="$AGENT_BRAIN_HOME/.agent-brain-state"

ab_say() { printf '%s\n' "$*"; }
ab_warn() { printf 'agent-brain: %s\n' "$*" >&2; }
ab_die() {
  printf 'agent-brain: %s\n' "$*" >&2
  exit 1
}

ab_init_home() {
  mkdir -p "$AB_RUN" "$AB_LOGS"
  [[ -e "$AB_HOME_MARKER" ]] || echo "state of Agent Brain (see Makefile: make clean removes it)" >"$AB_HOME_MARKER"
}

# --- JDK discovery -------------------------------------------------------------------------------

# Major version of the JDK at $1, or nothing when $1 is not a JDK (a JRE has no javac).
ab_jdk_major() {
  local home="$1" version=""
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
  if [[ -r "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [[ -z "$version" ]]; then
    version="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  fi
  version="${version#1.}"
  printf '%s' "${version%%[.+-]*}"
}

# Prints the JDK to use: $JAVA_HOME if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm.
ab_java_home() {
  local candidate major best="" best_major=0
  if [[ -n "${JAVA_HOME:-}" ]]; then
    major="$(ab_jdk_major "$JAVA_HOME")"
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [[ -d "$candidate" && ! -L "$candidate" ]] || continue
    major="$(ab_jdk_major "$candidate")"
    if [[ -n "$major" && "$major" -ge 21 && "$major" -gt "$best_major" ]]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [[ -z "$best" ]]; then
    ab_warn "no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)."
    ab_warn "Install one, e.g. 'apt-get install openjdk-21-jdk' or Eclipse Temurin 21+, or point JAVA_HOME at it."
    return 1
  fi
  printf '%s\n' "$best"
}

# Options every JVM we start gets: Java 24+ warns about native access (RocksDB, ONNX Runtime, netty) and about
# sun.misc.Unsafe memory access (Kafka, Netty) unless they are allowed.
ab_java_native_opts() {
  local major
  major="$(ab_jdk_major "$1")"
  if [[ -n "$major" && "$major" -ge 24 ]]; then
    printf '%s\n' "--enable-native-access=ALL-UNNAMED" "--sun-misc-unsafe-memory-access=allow"
  fi
}

# Maven with the discovered JDK.
ab_mvn() {
  local java_home
  java_home="$(ab_java_home)" || exit 1
  local maven_opts="${MAVEN_OPTS:-}"
  # Maven 3.8's bundled Guava prints sun.misc.Unsafe deprecation warnings on Java 24+.
  if [[ "$(ab_jdk_major "$java_home")" -ge 24 && "$maven_opts" != *sun-misc-unsafe-memory-access* ]]; then
    maven_opts="$maven_opts --sun-misc-unsafe-memory-access=allow"
  fi
  JAVA_HOME="$java_home" MAVEN_OPTS="$maven_opts" mvn "$@"
}

# Runs "$@" with its output appended to logs/$1-install.log (name first), showing the log's end if it fails.
ab_logged_install() {
  local name="$1" log
  shift
  ab_init_home
  log="$(ab_log_file "$name-install")"
  printf '\n# %s: %s\n' "$(date '+%F %T')" "$*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    ab_die "$name: installing failed: $*; the full output is in $log"
  fi
}

# Runs "$@" as root (or through sudo). Its children must not inherit the lock on fd 9 (see ab_lock): e.g.
# pg_ctlcluster and package scripts start the PostgreSQL server, which would hold our lock for as long as it runs.
ab_as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@" 9>&-
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "$@" 9>&-
  else
    ab_die "this step needs root: run as root (or with sudo): $*"
  fi
}

# Installs Debian packages "$@" for component $1 (output in logs/$1-install.log).
ab_apt_install() {
  local name="$1" package
  shift
  # Package lists may be missing or stale on a fresh machine: refresh them once if a package has no candidate.
  for package in "$@"; do
    if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      ab_logged_install "$name" ab_as_root apt-get -o DPkg::Lock::Timeout=300 update -q
      break
    fi
  done
  ab_logged_install "$name" ab_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "$@"
}

# --- client settings -----------------------------------------------------------------------------

# The settings the Java side reads (config/.../Settings.java), derived from the ports above unless set.
ab_export_client_env() {
  export AGENT_BRAIN_KAFKA_BOOTSTRAP="${AGENT_BRAIN_KAFKA_BOOTSTRAP:-127.0.0.1:$AGENT_BRAIN_KAFKA_PORT}"
  export AGENT_BRAIN_REGISTRY_URL="${AGENT_BRAIN_REGISTRY_URL:-http://127.0.0.1:$AGENT_BRAIN_REGISTRY_PORT}"
  export AGENT_BRAIN_CHROMA_URL="${AGENT_BRAIN_CHROMA_URL:-http://127.0.0.1:$AGENT_BRAIN_CHROMA_PORT}"
  export AGENT_BRAIN_PG_URL="${AGENT_BRAIN_PG_URL:-jdbc:postgresql://$AGENT_BRAIN_PG_HOST:$AGENT_BRAIN_PG_PORT/$AGENT_BRAIN_PG_DATABASE}"
  export AGENT_BRAIN_PG_USER AGENT_BRAIN_PG_PASSWORD AGENT_BRAIN_PG_READ_USER AGENT_BRAIN_API_PORT
}

# --- processes -----------------------------------------------------------------------------------

ab_pid_file() { printf '%s/%s.pid' "$AB_RUN" "$1"; }
ab_log_file() { printf '%s/%s.log' "$AB_LOGS" "$1"; }

# Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or nothing.
ab_proc_start() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }" # the command name may contain spaces; fields after it do not
  # shellcheck disable=SC2086
  set -- $stat
  printf '%s' "${20}"
}

# Prints the pid of the running process recorded for $1 and succeeds; removes a stale pid file and fails.
ab_pid() {
  local file pid recorded_start
  file="$(ab_pid_file "$1")"
  [[ -f "$file" ]] || return 1
  read -r pid recorded_start <"$file" || true
  if [[ "$pid" =~ ^[0-9]+$ ]] && [[ -n "$recorded_start" ]] && [[ "$(ab_proc_start "$pid")" == "$recorded_start" ]] &&
    [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]]; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

ab_running() { ab_pid "$1" >/dev/null; }

# True when something accepts TCP connections on 127.0.0.1:$1.
ab_port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# Fails with a clear message when another program listens on a port we are about to use.
ab_require_free_port() {
  local port="$1" name="$2" variable="$3" holder
  if ab_port_open "$port"; then
    holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1)"
    ab_die "cannot start $name: port $port is already in use${holder:+ by $holder}. Stop that program, or choose another port with $variable=<port>."
  fi
}

# Runs "$@" detached (own session, so a Ctrl-C in the terminal or the end of make does not reach it) with its
# output in logs/$1.log, and records its pid. The previous log is kept as .log.1.
ab_spawn() {
  local name="$1" dir="$2" log pid start
  shift 2
  ab_init_home
  log="$(ab_log_file "$name")"
  [[ -f "$log" ]] && mv -f "$log" "$log.1"
  # setsid execs in place (the subshell is no process-group leader), so $! is the service itself and, as it
  # leads its own process group, stopping the group also stops any child it forked.
  (cd "$dir" && exec setsid "$@" >"$log" 2>&1 </dev/null 9>&-) &
  pid=$!
  start=""
  while [[ -z "$start" ]] && kill -0 "$pid" 2>/dev/null; do
    start="$(ab_proc_start "$pid")"
  done
  printf '%s %s\n' "$pid" "$start" >"$(ab_pid_file "$name")"
}

# Waits until "$@" succeeds. Fails, pointing at the log, when the process exits or $2 seconds pass.
ab_wait_ready() {
  local name="$1" timeout="$2" deadline log
  shift 2
  log="$(ab_log_file "$name")"
  deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! ab_running "$name"; then
      ab_warn "$name exited while starting. Last lines of $log:"
      tail -n 25 "$log" >&2 || true
      ab_die "$name did not start; the full log is $log"
    fi
    if ((SECONDS >= deadline)); then
      ab_warn "$name was not ready after ${timeout}s. Last lines of $log:"
      tail -n 25 "$log" >&2 || true
      ab_die "$name did not become ready within ${timeout}s (it is still running, pid $(ab_pid "$name" || true)); see $log"
    fi
    sleep 0.5
  done
}

# Stops the process group recorded for $1 with signal $2, then SIGKILL after $3 seconds. Quiet when not running.
ab_stop() {
  local name="$1" signal="$2" grace="$3" pid deadline
  pid="$(ab_pid "$name")" || return 0
  kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while ab_running "$name" && ((SECONDS < deadline)); do
    sleep 0.3
  done
  if ab_running "$name"; then
    ab_warn "$name did not stop within ${grace}s after SIG$signal; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    while ab_running "$name"; do sleep 0.2; done
  fi
  rm -f "$(ab_pid_file "$name")"
}

# Serialises start/stop/install of one component across concurrent invocations. The lock is fd 9 of this shell;
# every command that may leave a process behind (ab_spawn, pg_ctlcluster, package scripts) must run with 9>&-,
# or that process holds the lock for as long as it lives.
ab_lock() {
  local lock="$AB_RUN/$1.lock"
  ab_init_home
  exec 9>"$lock"
  flock -w "${AGENT_BRAIN_LOCK_TIMEOUT:-900}" 9 && return 0
  local pid holder holders=""
  for pid in $(lsof -t "$lock" 2>/dev/null 9>&-); do
    # this shell and the subshells it forked for this very listing hold it too
    [[ "$pid" == "$$" || "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$$" ]] && continue
    holder="$(ps -o pid=,args= -p "$pid" 2>/dev/null | cut -c1-120 || true)"
    [[ -n "$holder" ]] && holders+=$'\n'"$holder"
  done
  ab_die "$1: waited ${AGENT_BRAIN_LOCK_TIMEOUT:-900}s for $lock, which these processes hold:${holders:- (none left)}"
}

ab_status_row() { printf '%-10s %-8s %-26s %-16s %s\n' "$@"; }

# One status line; succeeds when the component runs.
ab_status_line() {
  local name="$1" where="$2" pid
  if pid="$(ab_pid "$name")"; then
    ab_status_row "$name" running "$where" "pid $pid" "$(ab_log_file "$name")"
  else
    ab_status_row "$name" stopped "$where" "-" "$(ab_log_file "$name")"
    return 1
  fi
}

# Fingerprint of files that define an install; a changed pom or lock file triggers a reinstall.
ab_fingerprint() { cat "$@" | sha256sum | cut -c1-16; }

ab_http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

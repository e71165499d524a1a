#!/usr/bin/env bash
# Ensures a private, throw-away PostgreSQL server for the Funnel.Storage.PostgreSql tests.
#
#   eval "$(eng/postgres.sh start)"      # starts a cluster, exports FUNNEL_POSTGRES_TEST_CONNECTION and FUNNEL_POSTGRES_TEST_DIR
#   dotnet test Funnel.Core.sln
#   eng/postgres.sh stop                 # stops the cluster named by FUNNEL_POSTGRES_TEST_DIR and deletes it
#
#   eng/postgres.sh run -- dotnet test Funnel.Core.sln   # start, run the command with the variable set, always stop
#   eng/postgres.sh restart [dir] [fast|immediate]       # restart the cluster on the same port (the fault tests do,
#                                                        # with "immediate": a crash followed by recovery)
#
# What "start" does:
#   1. finds the PostgreSQL server binaries (pg_config, /usr/lib/postgresql/<n>/bin); when there are none it runs
#      `apt-get update` and `apt-get install -y postgresql` (Debian/Ubuntu, needs root);
#   2. creates a cluster in a new temporary directory owned by the `postgres` system user (initdb and postgres refuse
#      to run as root, so both run through runuser/su when the script runs as root);
#   3. starts it listening only on 127.0.0.1, on a free port, with a random password (scram-sha-256) and the Unix
#      socket inside the temporary directory, so it never clashes with a system cluster;
#   4. creates the database `funnel_test` and prints `export` lines for
#        FUNNEL_POSTGRES_TEST_CONNECTION  the Npgsql connection string the tests read
#        FUNNEL_POSTGRES_TEST_DIR         the cluster directory, which "stop" needs
# Progress goes to stderr; only the export lines go to stdout, so `eval "$(...)"` is safe.
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  done
  return 1
}

ensure_binaries() {
  local dir
  if dir="$(find_bindir)"; then echo "$dir"; return 0; fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "PostgreSQL server binaries not found and not running as root; install the 'postgresql' package."
    exit 1
  fi
  log "PostgreSQL server binaries not found; installing Debian's 'postgresql' package."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  dir="$(find_bindir)" || { log "still no PostgreSQL binaries after apt-get install"; exit 1; }
  echo "$dir"
}

# Runs a command as the postgres system user when we are root; as ourselves otherwise.
as_db_user() {
  if [[ "$(id -u)" -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port i
  for i in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  log "no free port found"; exit 1
}

start() {
  local bindir dir port password
  bindir="$(ensure_binaries)"
  if [[ "$(id -u)" -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "creating the 'postgres' system user"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  dir="$(mktemp -d "${TMPDIR:-/tmp}/funnel-pg.XXXXXX")"
  chmod 700 "$dir"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$dir"; fi
  password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
  printf '%s\n' "$password" > "$dir/pwfile"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$dir/pwfile"; fi
  chmod 600 "$dir/pwfile"
  log "initdb in $dir/data ($bindir)"
  as_db_user "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  local attempt
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    log "starting on 127.0.0.1:$port"
    if as_db_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >&2; then
      break
    fi
    if [[ $attempt -eq 5 ]]; then cat "$dir/server.log" >&2; exit 1; fi
  done
  PGPASSWORD="$password" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE funnel_test" >&2
  echo "$bindir" > "$dir/bindir"
  echo "export FUNNEL_POSTGRES_TEST_CONNECTION='Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=funnel_test'"
  echo "export FUNNEL_POSTGRES_TEST_DIR='$dir'"
  log "ready: database funnel_test on 127.0.0.1:$port (stop with: eng/postgres.sh stop)"
}

stop() {
  local dir="${1:-${FUNNEL_POSTGRES_TEST_DIR:-}}"
  if [[ -z "$dir" || ! -d "$dir/data" ]]; then
    log "nothing to stop (pass the cluster directory or set FUNNEL_POSTGRES_TEST_DIR)"
    return 0
  fi
  local bindir
  bindir="$(cat "$dir/bindir" 2>/dev/null || find_bindir)"
  as_db_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  log "stopped and removed $dir"
}

restart() {
  local dir="${1:-${FUNNEL_POSTGRES_TEST_DIR:-}}" mode="${2:-fast}"
  if [[ -z "$dir" || ! -d "$dir/data" ]]; then
    log "nothing to restart (pass the cluster directory or set FUNNEL_POSTGRES_TEST_DIR)"
    exit 1
  fi
  case "$mode" in fast|immediate) ;; *) log "restart mode must be fast or immediate, not '$mode'"; exit 2 ;; esac
  local bindir
  bindir="$(cat "$dir/bindir" 2>/dev/null || find_bindir)"
  # pg_ctl restart reuses the server options of the last start (port, socket directory, settings: postmaster.opts);
  # -l keeps the server's output in the log file, so nothing holds this script's stdout or stderr open.
  as_db_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m "$mode" -w -t 60 restart >&2
  log "restarted $dir ($mode)"
}

run() {
  [[ "${1:-}" == "--" ]] && shift
  [[ $# -gt 0 ]] || { log "usage: eng/postgres.sh run -- <command> [args...]"; exit 2; }
  eval "$(start)"
  trap 'stop "$FUNNEL_POSTGRES_TEST_DIR"' EXIT
  "$@"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "${1:-}" ;;
  run) shift; run "$@" ;;
  restart) shift; restart "$@" ;;
  *) echo "usage: eng/postgres.sh start | stop [dir] | restart [dir] [fast|immediate] | run -- <command> [args...]" >&2; exit 2 ;;
esac

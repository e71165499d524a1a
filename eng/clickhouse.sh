#!/usr/bin/env bash
# Starts a private, throw-away two-shard ClickHouse cluster on 127.0.0.1 for the Funnel.Storage.ClickHouse tests,
# benchmarks and sample.
#
#   eval "$(eng/clickhouse.sh start)"     # starts two servers, exports FUNNEL_CLICKHOUSE_TEST_* (below)
#   dotnet test tests/Funnel.Storage.ClickHouse.Tests -c Release
#   eng/clickhouse.sh stop                # stops the servers named by FUNNEL_CLICKHOUSE_TEST_DIR and deletes them
#
#   eng/clickhouse.sh run -- dotnet test tests/Funnel.Storage.ClickHouse.Tests   # start, run, always stop
#   eng/clickhouse.sh shard 2 stop|start [dir]   # stops or starts one server (the shard-down test does)
#
# What "start" does:
#   1. finds /usr/sbin/clickhouse-server; when it is missing it runs `apt-get update` and
#      `apt-get install -y clickhouse-server clickhouse-client` (Debian's package, 18.16; needs root);
#   2. writes, in a new temporary directory, a config per server: its own data, tmp and log paths, free HTTP, native
#      TCP and interserver ports, `listen_host 127.0.0.1`, small caches, and the same `remote_servers` block on both:
#      the cluster `funnel_test_cluster` of two shards with one replica each (the two servers' TCP ports);
#   3. starts both servers (as the `clickhouse` system user when run as root) and waits until each answers `SELECT 1`
#      over HTTP;
#   4. prints `export` lines for
#        FUNNEL_CLICKHOUSE_TEST_CONNECTION   the ClickHouse.Driver connection string of shard 1 (the initiator)
#        FUNNEL_CLICKHOUSE_TEST_CONNECTION2  the connection string of shard 2 (the tests look at each shard's rows)
#        FUNNEL_CLICKHOUSE_TEST_CLUSTER      the cluster name, funnel_test_cluster
#        FUNNEL_CLICKHOUSE_TEST_DIR          the directory, which "stop" and "shard" need
# Progress goes to stderr; only the export lines go to stdout, so `eval "$(...)"` is safe.
#
# The connection strings carry `Compression=false;UseCompression=false` and the JSON modes off: the settings
# ClickHouse.Driver 1.5.0 needs to talk to an 18.16 server over HTTP (newer servers accept them as well).
set -euo pipefail

CLUSTER=funnel_test_cluster
SERVER=/usr/sbin/clickhouse-server

log() { printf 'clickhouse.sh: %s\n' "$*" >&2; }

ensure_binaries() {
  if [[ -x "$SERVER" ]]; then return 0; fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "clickhouse-server not found and not running as root; install Debian's 'clickhouse-server' package."
    exit 1
  fi
  log "clickhouse-server not found; installing Debian's 'clickhouse-server' package."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends clickhouse-server clickhouse-client >&2
  [[ -x "$SERVER" ]] || { log "still no $SERVER after apt-get install"; exit 1; }
}

as_db_user() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u clickhouse -- "$@"
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Three consecutive free ports (http, tcp, interserver) not yet handed out in this run.
TAKEN=" "
free_ports() {
  local base i ok
  for i in $(seq 1 300); do
    base=$(( 20000 + RANDOM % 40000 ))
    ok=1
    for p in "$base" $((base + 1)) $((base + 2)); do
      if port_in_use "$p" || [[ "$TAKEN" == *" $p "* ]]; then ok=0; break; fi
    done
    if [[ $ok -eq 1 ]]; then TAKEN="$TAKEN$base $((base + 1)) $((base + 2)) "; echo "$base"; return 0; fi
  done
  log "no free ports found"; exit 1
}

write_config() {
  local dir="$1" node="$2" base="$3" tcp1="$4" tcp2="$5"
  local home="$dir/shard$node"
  mkdir -p "$home/data" "$home/tmp" "$home/user_files" "$home/format_schemas"
  cat > "$home/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  cat > "$home/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$home/server.log</log><errorlog>$home/error.log</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$base</http_port>
  <tcp_port>$((base + 1))</tcp_port>
  <interserver_http_port>$((base + 2))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$home/data/</path>
  <tmp_path>$home/tmp/</tmp_path>
  <user_files_path>$home/user_files/</user_files_path>
  <format_schema_path>$home/format_schemas/</format_schema_path>
  <users_config>$home/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_connections>256</max_connections>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <builtin_dictionaries_reload_interval>0</builtin_dictionaries_reload_interval>
  <remote_servers>
    <$CLUSTER>
      <shard><replica><host>127.0.0.1</host><port>$tcp1</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$tcp2</port></replica></shard>
    </$CLUSTER>
  </remote_servers>
  <macros><shard>$node</shard></macros>
</yandex>
EOF
  echo "$base" > "$home/http_port"
}

start_node() {
  local dir="$1" node="$2" home="$1/shard$2" port attempt
  port="$(cat "$home/http_port")"
  if [[ "$(id -u)" -eq 0 ]]; then chown -R clickhouse: "$home"; fi
  as_db_user "$SERVER" --config-file="$home/config.xml" --pid-file="$home/pid" --daemon >&2
  for attempt in $(seq 1 120); do
    if [[ "$(curl -fsS "http://127.0.0.1:$port/?query=SELECT%201" 2>/dev/null || true)" == "1" ]]; then
      log "shard $node ready on 127.0.0.1:$port (http)"
      return 0
    fi
    sleep 0.5
  done
  log "shard $node did not answer on port $port within 60 s:"; cat "$home/error.log" >&2 2>/dev/null || true
  exit 1
}

stop_node() {
  local home="$1/shard$2" pid i
  [[ -f "$home/pid" ]] || return 0
  pid="$(cat "$home/pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$home/pid"; return 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$home/pid"
}

connection() { echo "Host=127.0.0.1;Port=$1;Username=default;Password=;Database=default;UseCompression=false;JsonReadMode=None;JsonWriteMode=None"; }

start() {
  local dir base1 base2
  ensure_binaries
  command -v curl >/dev/null 2>&1 || { log "curl is needed to check the servers"; exit 1; }
  dir="$(mktemp -d "${TMPDIR:-/tmp}/funnel-ch.XXXXXX")"
  chmod 755 "$dir"
  base1="$(free_ports)"
  base2="$(free_ports)"
  write_config "$dir" 1 "$base1" $((base1 + 1)) $((base2 + 1))
  write_config "$dir" 2 "$base2" $((base1 + 1)) $((base2 + 1))
  start_node "$dir" 1
  start_node "$dir" 2
  echo "export FUNNEL_CLICKHOUSE_TEST_CONNECTION='$(connection "$base1")'"
  echo "export FUNNEL_CLICKHOUSE_TEST_CONNECTION2='$(connection "$base2")'"
  echo "export FUNNEL_CLICKHOUSE_TEST_CLUSTER='$CLUSTER'"
  echo "export FUNNEL_CLICKHOUSE_TEST_DIR='$dir'"
  log "ready: cluster $CLUSTER of two shards (stop with: eng/clickhouse.sh stop)"
}

stop() {
  local dir="${1:-${FUNNEL_CLICKHOUSE_TEST_DIR:-}}"
  if [[ -z "$dir" || ! -d "$dir/shard1" ]]; then
    log "nothing to stop (pass the directory or set FUNNEL_CLICKHOUSE_TEST_DIR)"
    return 0
  fi
  stop_node "$dir" 1
  stop_node "$dir" 2
  rm -rf "$dir"
  log "stopped and removed $dir"
}

shard() {
  local node="${1:-}" action="${2:-}" dir="${3:-${FUNNEL_CLICKHOUSE_TEST_DIR:-}}"
  [[ "$node" == 1 || "$node" == 2 ]] || { log "shard must be 1 or 2, not '$node'"; exit 2; }
  [[ -n "$dir" && -d "$dir/shard$node" ]] || { log "no cluster directory (pass it or set FUNNEL_CLICKHOUSE_TEST_DIR)"; exit 1; }
  case "$action" in
    stop) stop_node "$dir" "$node"; log "shard $node stopped" ;;
    start) start_node "$dir" "$node" ;;
    *) log "usage: eng/clickhouse.sh shard 1|2 stop|start [dir]"; exit 2 ;;
  esac
}

run() {
  [[ "${1:-}" == "--" ]] && shift
  [[ $# -gt 0 ]] || { log "usage: eng/clickhouse.sh run -- <command> [args...]"; exit 2; }
  eval "$(start)"
  trap 'stop "$FUNNEL_CLICKHOUSE_TEST_DIR"' EXIT
  "$@"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "${1:-}" ;;
  shard) shift; shard "$@" ;;
  run) shift; run "$@" ;;
  *) echo "usage: eng/clickhouse.sh start | stop [dir] | shard 1|2 stop|start [dir] | run -- <command> [args...]" >&2; exit 2 ;;
esac

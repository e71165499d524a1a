#!/usr/bin/env bash
# CI smoke test of the web sample, with the README's command: start it, create a lead, call /health, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
url=http://127.0.0.1:5080
log=$(mktemp)
dotnet build samples/Funnel.Samples.WebCrm -c Release >/dev/null
dotnet run --no-build -c Release --project samples/Funnel.Samples.WebCrm -- --urls "$url" >"$log" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap stop EXIT
for _ in $(seq 1 60); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "error: the web sample stopped at start" >&2; exit 1; }
  sleep 1
done
lead="smoke-$(date +%s%N)"
curl -fsS -X POST "$url/api/leads" -H 'content-type: application/json' -d "{\"id\":\"$lead\",\"company\":\"CI\"}"
echo
health=$(curl -fsS "$url/health")
echo "health: $health"
[ "$health" = "Healthy" ] || { cat "$log" >&2; echo "error: /health said $health" >&2; exit 1; }
echo "webcrm-smoke: the web sample answered and is healthy"

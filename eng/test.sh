#!/usr/bin/env bash
# Runs every test in the repository. This is the test command README.md gives, and the one .ci/run runs.
# Extra arguments go to `dotnet test` (for example: bash eng/test.sh --filter "FullyQualifiedName~Journey").
set -euo pipefail
cd "$(dirname "$0")/.."

# The PostgreSQL storage tests need a real server: start a private one (installing Debian's package if missing)
# unless the caller already points FUNNEL_POSTGRES_TEST_CONNECTION at one. It is stopped when the tests end.
if [ -z "${FUNNEL_POSTGRES_TEST_CONNECTION:-}" ]; then
  exec bash eng/postgres.sh run -- bash eng/test.sh "$@"
fi

# The ClickHouse storage tests need the two-shard test cluster: start it (installing Debian's clickhouse-server if
# missing) unless the caller already points FUNNEL_CLICKHOUSE_TEST_CONNECTION at one. It is stopped when the tests end.
if [ -z "${FUNNEL_CLICKHOUSE_TEST_CONNECTION:-}" ]; then
  exec bash eng/clickhouse.sh run -- bash eng/test.sh "$@"
fi

# The reporting tests open the SVG chart and the HTML report in headless Chromium, and the web sample's browser test
# (tests/Funnel.Samples.WebCrm.Tests/Browser) drives it through Playwright: install Debian's package when it is missing
# (as root), unless CHROMIUM_PATH names a browser already. Playwright uses that browser; it never downloads its own.
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: the reporting and web sample browser tests need Chromium: run 'sudo apt-get install -y chromium' or set CHROMIUM_PATH" >&2
    exit 1
  fi
  echo "eng/test.sh: installing Debian's chromium package for the reporting and web sample browser tests" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

status=0
dotnet test Funnel.Core.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?

# One plain closing line over every test project: "N passed, N failed, N skipped".
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -1)
  p=$(grep -o ' passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  f=$(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  t=$(grep -o ' total="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  e=$(grep -o ' executed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
# The library tests that target net8.0 as well (Funnel.Core.Tests, Funnel.Extensions.DependencyInjection.Tests, Funnel.Serialization.Json.Tests, the SQLite and PostgreSQL store tests) run there self-contained, on the 8.0 runtime pack
# from NuGet (tests/Directory.Build.props): this machine has only the .NET 10 runtime. A whole run must include them.
if [ "$#" -eq 0 ] && ! grep -lq '/net8\.0/' "$results"/*.trx 2>/dev/null; then
  echo "error: no test ran on net8.0" >&2
  exit 1
fi
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"

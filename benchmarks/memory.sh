#!/usr/bin/env bash
# Peak memory and time of `funnel analyze` with the full report (segments by source, monthly cohorts, the HTML report
# with the forecast) on generated logs, measured with GNU time (`/usr/bin/time -v`: "Maximum resident set size").
#
#   bash benchmarks/memory.sh                   # 1M and 10M leads (3.3M and 33.5M events)
#   bash benchmarks/memory.sh 100000 1000000    # other sizes, in leads
#
# The generated CSV files are kept in ${FUNNEL_MEMORY_DIR:-$TMPDIR/funnel-memory} and reused by later runs (10M leads
# take about 1.2 GB of disk). Prints one Markdown table row per size for benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
dir="${FUNNEL_MEMORY_DIR:-${TMPDIR:-/tmp}/funnel-memory}"
mkdir -p "$dir"

dotnet build src/Funnel.Cli -c Release -v quiet -nologo >&2
funnel=src/Funnel.Cli/bin/Release/net10.0/funnel

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| leads | events | CSV | peak RSS | wall time | \`--verbose\` breakdown |"
echo "|---:|---:|---:|---:|---:|---|"
for n in "${sizes[@]}"; do
  csv="$dir/generated-$n.csv"
  [ -s "$csv" ] || "$funnel" generate -n "$n" -o "$csv" >&2
  stats="$dir/time-$n.txt"
  /usr/bin/time -v -o "$stats" "$funnel" analyze "$csv" -d customer-journey --by source --cohort month \
    --format html -o "$dir/report-$n.html" --quiet --verbose 2>"$dir/stderr-$n.txt"
  rss_kb=$(grep 'Maximum resident set size' "$stats" | grep -o '[0-9]*$')
  wall=$(grep 'Elapsed (wall clock)' "$stats" | awk '{print $NF}')
  events=$(($(wc -l <"$csv") - 1))
  size=$(du -m "$csv" | cut -f1)
  breakdown=$(grep '^Time:' "$dir/stderr-$n.txt" | sed 's/^Time: //')
  # du -m and GNU time's kilobytes / 1024 are both MiB (2^20 bytes); 1.5 GB of the issue is 1,430 MiB, 1.5 GiB 1,536 MiB.
  printf '| %s | %s | %s MiB | %s MiB | %s | %s |\n' \
    "$(printf "%'d" "$n")" "$(printf "%'d" "$events")" "$size" "$((rss_kb / 1024))" "$wall" "$breakdown"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

#!/usr/bin/env bash
# A time-boxed, coverage-guided fuzzing run of the readers (issue 18): AFL++ drives an instrumented build
# (SharpFuzz) of Funnel.Core and Funnel.Serialization.Json through eng/fuzz/Funnel.Fuzz.
#
#   eng/fuzz.sh csv 600        # the streaming CSV reader for 600 seconds
#   eng/fuzz.sh csvfile 300    # TransitionLogCsvReader.ReadFile (the byte-level fast path)
#   eng/fuzz.sh binary 300     # TransitionLogBinaryFormat.Read
#   eng/fuzz.sh json 600       # FunnelJson (definition documents, journeys, events, reports) and JsonSerializer
#
# A crash is any exception other than the documented one with its location (a CSV line, a byte offset, a JSON path
# with line and position); a hang is an input that takes more than 5 seconds. Both are kept under
# artifacts/fuzz/<target>/default/crashes and hangs; the script exits 1 when there are any. Every crash found
# becomes a named regression test. Needs afl-fuzz (`apt-get install afl++` on Debian/Ubuntu); the SharpFuzz
# command-line tool is installed into artifacts/fuzz/tools.
set -euo pipefail

target="${1:?usage: eng/fuzz.sh <csv|csvfile|binary|json> [seconds]}"
seconds="${2:-300}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/artifacts/fuzz"
build="$work/build"
mkdir -p "$work"

command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 2; }
[[ -x "$work/tools/sharpfuzz" ]] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >&2

dotnet build "$root/eng/fuzz/Funnel.Fuzz" -c Release -o "$build" >&2
rm -rf "$work/seeds"
dotnet "$build/Funnel.Fuzz.dll" seed "$work/seeds"   # before instrumenting: instrumented code needs AFL to run
"$work/tools/sharpfuzz" "$build/Funnel.Core.dll"
"$work/tools/sharpfuzz" "$build/Funnel.Serialization.Json.dll"

seeds="$work/seeds/$target"
[[ "$target" == csvfile ]] && seeds="$work/seeds/csv"
rm -rf "$work/$target"
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -V "$seconds" -i "$seeds" -o "$work/$target" -t 5000 -m none -- dotnet "$build/Funnel.Fuzz.dll" "$target" >"$work/$target.log" 2>&1 || true

stats="$work/$target/default/fuzzer_stats"
[[ -f "$stats" ]] || { tail -n 30 "$work/$target.log" >&2; exit 2; }
grep -E '^(run_time|execs_done|corpus_count|bitmap_cvg|saved_crashes|saved_hangs) ' "$stats"
found=$(( $(awk '/^saved_crashes/ {print $3}' "$stats") + $(awk '/^saved_hangs/ {print $3}' "$stats") ))
if (( found > 0 )); then
  echo "fuzz.sh: $found crashing or hanging inputs in $work/$target/default/{crashes,hangs}" >&2
  exit 1
fi

#!/usr/bin/env bash
# Runs the commands a newcomer copies from README.md and docs/*.md, exactly as they are written there, so that a
# command in the documentation cannot rot unnoticed. Commands are the lines of ```bash and ```sh blocks; a trailing
# "# comment" is the shell's own. Each distinct command runs once; the first failure stops the script.
#
#   eng/doc-commands.sh dotnet-run          every `dotnet run ...` line, from the repository root, then every
#                                           `dotnet src/Funnel.Cli/bin/...` line (the tool those runs built)
#   eng/doc-commands.sh dotnet-test         every `dotnet test tests/...` line (one test project, usually filtered),
#                                           from the repository root; the samples' READMEs are read too
#   eng/doc-commands.sh funnel <dir>        every `funnel ...` line, in <dir> (a scratch folder), with the installed
#                                           `funnel` tool on PATH — the order of the docs is kept, so
#                                           `funnel init` writes the file that `funnel validate` reads
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
extra_docs=()

commands() { # $1: what the lines start with (a program and a space, or a path)
  awk -v prefix="$1" '
    /^```(bash|sh)[ \t]*$/ { inside = 1; next }
    /^```/                 { inside = 0; next }
    inside && index($0, prefix) == 1 && !seen[$0]++ { print }
  ' "$repo/README.md" "$repo"/docs/*.md "${extra_docs[@]}"
}

run_all() { # $1: what the lines start with, $2: folder to run in
  local count=0 line
  while IFS= read -r line; do
    count=$((count + 1))
    printf '\n---- %s$ %s\n' "$2" "$line"
    (cd "$2" && bash -euo pipefail -c "$line") </dev/null || { echo "error: this documented command failed: $line" >&2; exit 1; }
  done < <(commands "$1")
  [ "$count" -gt 0 ] || { echo "error: no documented '$1' command found: is the extraction still right?" >&2; exit 1; }
  echo "doc-commands: $count documented '$1' command(s) ran"
}

case "${1:-}" in
  dotnet-run)
    run_all "dotnet run " "$repo"
    run_all "dotnet src/Funnel.Cli/bin/" "$repo" ;;
  dotnet-test)
    extra_docs=("$repo"/samples/*/README.md)
    run_all "dotnet test tests/" "$repo" ;;
  funnel)
    [ -n "${2:-}" ] || { echo "usage: $0 funnel <scratch dir>" >&2; exit 2; }
    command -v funnel >/dev/null || { echo "error: the funnel tool is not on PATH" >&2; exit 1; }
    mkdir -p "$2"
    run_all "funnel " "$(cd "$2" && pwd)" ;;
  *) echo "usage: $0 dotnet-run | dotnet-test | funnel <scratch dir>" >&2; exit 2 ;;
esac

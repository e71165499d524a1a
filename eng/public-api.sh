#!/usr/bin/env bash
# Brings every packaged project's PublicAPI.Unshipped.txt up to date with its code: adds the public members that are
# missing (RS0016) and drops the lines of members that are gone (RS0017). Run it after adding or changing public API,
# or after merging branches that did; then review the diff of src/*/PublicAPI.Unshipped.txt. docs/releasing.md says
# when lines move to PublicAPI.Shipped.txt.
#   bash eng/public-api.sh                      # every project under src/
#   bash eng/public-api.sh src/Funnel.Core      # one project
# Two passes per project: the analyzers' own code fix (dotnet format), then a build whose RS0016/RS0017 reports are
# applied as written, which also covers members that a source generator adds (FunnelJsonContext).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  # Funnel.Core first: the others reference it and are analysed only when it builds.
  projects=(src/Funnel.Core)
  for csproj in src/*/*.csproj; do
    dir=$(dirname "$csproj")
    [ "$dir" = src/Funnel.Core ] || projects+=("$dir")
  done
fi

for project in "${projects[@]}"; do
  csproj=("${project%/}"/*.csproj)
  [ -f "${csproj[0]}" ] || { echo "error: no project file in $project" >&2; exit 1; }
  dir=$(dirname "${csproj[0]}")
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$unshipped" ] || printf '#nullable enable\n' > "$unshipped"
  echo "public-api: ${csproj[0]}"
  dotnet format analyzers "${csproj[0]}" --diagnostics RS0016 RS0017 --severity info --verbosity quiet
  log=$(mktemp)
  dotnet build "${csproj[0]}" -c Release -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
  python3 - "$log" "$dir" "$(basename "${csproj[0]}")" <<'PY'
import os, re, sys
log, project, csproj = sys.argv[1:]
# Only this project's reports (a build also prints those of the projects it references).
text = "\n".join(l for l in open(log, encoding="utf-8") if "/" + csproj + "::TargetFramework=" in l)

def reports(code, message):
    """symbol -> set of target frameworks whose build reported it"""
    found = {}
    for symbol, tfm in re.findall(code + r": Symbol '(.+?)' " + message + r".*?::TargetFramework=([\w.]+)\]", text):
        found.setdefault(symbol, set()).add(tfm)
    return found

added = reports("RS0016", r"is not part of the declared public API")
removed = reports("RS0017", r"is part of the declared API, but is either not public or could not be found")
tfms = set(re.findall(r"::TargetFramework=([\w.]+)\]", text))

def update(path, add, drop):
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")] if os.path.exists(path) else ["#nullable enable"]
    header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
    body = ({l for l in lines if l and not l.startswith("#")} | set(add)) - set(drop)
    open(path, "w", encoding="utf-8").write("\n".join(header + sorted(body, key=lambda s: (s.lower(), s))) + "\n")
    return set(drop) - set(lines)

# A member every target reports goes to the shared file; one that only some targets have goes to PublicAPI/<tfm>/
# when the project keeps such files (otherwise the shared file: then the other targets report it as RS0017).
shared_add, per_tfm_add = [], {}
for symbol, where in added.items():
    specific = [t for t in where if os.path.isdir(os.path.join(project, "PublicAPI", t))]
    if where >= tfms or not specific:
        shared_add.append(symbol)
    else:
        for t in specific:
            per_tfm_add.setdefault(t, []).append(symbol)
left = update(os.path.join(project, "PublicAPI.Unshipped.txt"), shared_add, [s for s, w in removed.items() if w >= tfms])
for t in sorted(tfms):
    folder = os.path.join(project, "PublicAPI", t)
    if os.path.isdir(folder):
        left |= update(os.path.join(folder, "PublicAPI.Unshipped.txt"), per_tfm_add.get(t, []), [s for s, w in removed.items() if t in w])
if left:
    print("note: these members are gone but listed as shipped; a shipped member is removed on purpose only (docs/releasing.md):", *sorted(left), sep="\n  ")
PY
  rm -f "$log"
done

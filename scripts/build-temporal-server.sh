#!/usr/bin/env bash
# Builds the production Temporal server and its SQL schema tool from the Go module proxy.
#
# Usage: scripts/build-temporal-server.sh [CACHE_DIR] [--cached-only]   (default: <project>/.cache)
#        --cached-only: print the server's path if it is built and works, else exit 3 without building
#
# go.temporal.io/server v1.29.1 has no `replace` directive, so `go install module@version`
# builds it as released. Result:
#
#   CACHE_DIR/bin/temporal-server                       (go.temporal.io/server/cmd/server)
#   CACHE_DIR/bin/temporal-sql-tool                     (go.temporal.io/server/cmd/tools/sql)
#   CACHE_DIR/temporal-server/<version>/schema/postgresql/v12/{temporal,visibility}/versioned/…
#
# The schema directory is copied out of the Go module cache so that running the server (tests,
# deployment) does not depend on it.
#
# Idempotent: if both binaries report VERSION and the schema is in place, nothing is rebuilt.
# Concurrent runs are serialised with flock on CACHE_DIR/temporal-server/.lock. The binaries are
# built into a temporary GOBIN and moved into place last, so an interrupted build never leaves a
# half-written binary behind. The compilation runs under `nice` (it is long on small machines).
# Progress goes to stderr; the last stdout line is the server's absolute path.
set -euo pipefail

VERSION="v1.29.1"
MODULE="go.temporal.io/server"

log() { printf '[build-temporal-server] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(cd "$script_dir/.." && pwd)"
cache_dir="${1:-$project_dir/.cache}"
mkdir -p "$cache_dir"
cache_dir="$(cd "$cache_dir" && pwd)"

bin_dir="$cache_dir/bin"
server="$bin_dir/temporal-server"
sql_tool="$bin_dir/temporal-sql-tool"
base_dir="$cache_dir/temporal-server"
schema_dest="$base_dir/$VERSION/schema"
stamp="$base_dir/$VERSION/.built"

# The server prints e.g. "temporal version 1.29.1"; the SQL tool "temporal-sql-tool version 1.29.1".
is_built() {
  [[ -x "$server" && -x "$sql_tool" && -f "$stamp" ]] || return 1
  [[ -d "$schema_dest/postgresql/v12/temporal/versioned" && -d "$schema_dest/postgresql/v12/visibility/versioned" ]] || return 1
  "$server" --version 2>/dev/null | grep -qF "${VERSION#v}" || return 1
  "$sql_tool" --version 2>/dev/null | grep -qF "${VERSION#v}" || return 1
}

work=""
cleanup() { if [[ -n "$work" ]]; then rm -rf "$work"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$base_dir" "$bin_dir"
exec 9>"$base_dir/.lock"
flock 9 # serialise concurrent builds (several test runners or worktrees starting at once)

if is_built; then
  log "temporal-server $VERSION is cached in $bin_dir"
  echo "$server"
  exit 0
fi
[[ "${2:-}" == "--cached-only" ]] && exit 3

command -v go >/dev/null || die "go not found on PATH (needed to build the Temporal server)"

start_time=$SECONDS
log "building $MODULE $VERSION (server and SQL tool) with $(go version) — takes a while on small machines"
work="$(mktemp -d)"
# Outside any module (cd to the temporary folder), so the project's own files play no part.
# -trimpath: no local paths in the binaries; CGO_ENABLED=0: static binaries.
if ! (cd "$work" && env CGO_ENABLED=0 GOBIN="$work/bin" GOFLAGS="-trimpath -buildvcs=false" \
  nice -n 10 go install -ldflags='-s -w' \
  "$MODULE/cmd/server@$VERSION" "$MODULE/cmd/tools/sql@$VERSION"); then
  die "go install failed"
fi
[[ -x "$work/bin/server" && -x "$work/bin/sql" ]] || die "go install produced no server/sql binaries"

# The schema, from the module as the go command resolved it (downloads it if needed).
module_dir="$(cd "$work" && go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -d "$module_dir/schema/postgresql/v12" ]] || die "no schema/postgresql/v12 in $module_dir"
rm -rf "$schema_dest.tmp"
mkdir -p "$schema_dest.tmp/postgresql"
cp -R "$module_dir/schema/postgresql/v12" "$schema_dest.tmp/postgresql/"
chmod -R u+w "$schema_dest.tmp" # the module cache is read-only
rm -rf "$schema_dest"
mv "$schema_dest.tmp" "$schema_dest"

mv -f "$work/bin/server" "$server"
mv -f "$work/bin/sql" "$sql_tool"
date -u +%FT%TZ >"$stamp"

is_built || die "the built binaries do not report version $VERSION"
log "done in $((SECONDS - start_time)) s"
echo "$server"

#!/usr/bin/env bash
# Builds a locally runnable Temporal time-skipping test server from Maven Central.
#
# Usage: scripts/build-test-server.sh [CACHE_DIR] [--cached-only]   (default: <project>/.cache)
#        --cached-only: print the wrapper's path if it is built and works, else exit 3 without building
#
# @temporalio/testing normally downloads a native test-server binary from GitHub, which this
# environment cannot reach. Instead we resolve io.temporal:temporal-test-server (the same
# server, as a Java library) plus its runtime dependencies with Maven, and generate
#
#   CACHE_DIR/temporal-test-server/<version>/lib/*.jar
#   CACHE_DIR/temporal-test-server/<version>/cds/app.jsa        (AppCDS archive, see below)
#   CACHE_DIR/temporal-test-server/<version>/bin/temporal-test-server
#
# The wrapper is meant for TestWorkflowEnvironment.createTimeSkipping({ server: { executable:
# { type: 'existing-path', path } } }). The SDK (sdk-core, ephemeral_server/mod.rs) runs it as
# `<path> <port> [extraArgs...]`, then tries to connect to 127.0.0.1:<port> every 100 ms for
# 5 s, and on teardown SIGKILLs the process it spawned. Hence the wrapper `exec`s java (a
# SIGKILLed shell would otherwise orphan the JVM) and the JVM is tuned to start fast.
#
# Idempotent: if the wrapper for VERSION exists, was built with the same JVM/flags, its CDS
# archive is valid and it starts a server within 5 s, nothing is rebuilt (~0.4 s check).
# Concurrent runs are serialised with flock on CACHE_DIR/temporal-test-server/.lock.
# Progress goes to stderr; the last stdout line is the wrapper's absolute path.
set -euo pipefail

# Newest io.temporal:temporal-test-server on Maven Central when this was written.
VERSION="1.38.0"
GROUP_ID="io.temporal"
ARTIFACT_ID="temporal-test-server"
MAIN_CLASS="io.temporal.testserver.TestServer"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
# The test server only depends on slf4j-api (1.7.x), which without a binding prints a 3-line
# "NOP logger" warning on every start. Bind slf4j-simple (same version as the resolved
# slf4j-api) at level warn, so real problems still reach stderr.
SLF4J_SIMPLE="org.slf4j:slf4j-simple:1.7.36"

# JVM start-up tuning for small (2-core) machines; the test server is short-lived, so peak
# throughput matters less than time-to-listen:
#   TieredStopAtLevel=1  C1 only: no C2 compile threads competing for the 2 cores
#   UseSerialGC          no parallel/concurrent GC threads, cheapest GC to initialise
#   -UsePerfData         no hsperfdata mmap file
#   Xss512k              smaller thread stacks (gRPC/netty start many threads)
#   SharedArchiveFile    AppCDS archive of ~all classes loaded while starting and serving
#                        the first requests: skips jar scanning, parsing and verification
# -Xshare:auto means a stale/mismatching archive only costs speed, never fails the start.
JVM_FLAGS=(
  -XX:TieredStopAtLevel=1
  -XX:+UseSerialGC
  -XX:-UsePerfData
  -Xss512k
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
)

log() { printf '[build-test-server] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(cd "$script_dir/.." && pwd)"
cache_dir="${1:-$project_dir/.cache}"
mkdir -p "$cache_dir"
cache_dir="$(cd "$cache_dir" && pwd)"

base_dir="$cache_dir/temporal-test-server"
dest="$base_dir/$VERSION"
lib_dir="$dest/lib"
jsa="$dest/cds/app.jsa"
wrapper="$dest/bin/temporal-test-server"

java_bin="$(command -v java)" || die "java not found on PATH"
java_bin="$(readlink -f "$java_bin")"
config_id="$(printf '%s\n' "$VERSION" "$SLF4J_SIMPLE" "$java_bin" "${JVM_FLAGS[@]}" | sha256sum | cut -c1-16)"

# --- helpers ---------------------------------------------------------------------------------

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! port_open "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

# Waits until $2 accepts TCP connections while pid $1 is alive; $3 = timeout in seconds.
wait_for_port() {
  local pid="$1" port="$2" deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    port_open "$port" && return 0
    sleep 0.05
  done
  return 1
}

# Unary gRPC call with an empty request message (5-byte gRPC frame: uncompressed, length 0),
# over cleartext HTTP/2. Only used to make the training run load the request-serving classes.
grpc_empty_call() {
  curl -sS --max-time 10 --http2-prior-knowledge -o /dev/null \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @<(printf '\0\0\0\0\0') "http://127.0.0.1:$1/$2" >/dev/null 2>&1 || true
}

stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Checks that the wrapper exists, that its CDS archive still matches its JVM and class path
# (a JDK update silently disables a stale archive, i.e. slow start-ups), and that it starts a
# server listening within 5 s (the SDK's limit).
wrapper_works() {
  [[ -x "$wrapper" ]] || return 1
  # Rebuild when the version, JVM, flags or extra dependencies change.
  grep -qxF "# build-config: $config_id" "$wrapper" || return 1
  "$java_bin" "${JVM_FLAGS[@]}" -XX:SharedArchiveFile="$jsa" -Xshare:on \
    -cp "$lib_dir/*" -version >/dev/null 2>&1 || { log "CDS archive missing or stale"; return 1; }
  local port rc=0
  port="$(free_port)" || return 1
  "$wrapper" "$port" >/dev/null 2>&1 9>&- &
  child_pid=$!
  wait_for_port "$child_pid" "$port" 5 || rc=1
  kill -KILL "$child_pid" 2>/dev/null || true
  wait "$child_pid" 2>/dev/null || true
  child_pid=""
  return "$rc"
}

# --- main ------------------------------------------------------------------------------------

child_pid="" # background JVM (check or training run), never left behind
work=""
cleanup() {
  if [[ -n "$child_pid" ]]; then kill -KILL "$child_pid" 2>/dev/null || true; fi
  if [[ -n "$work" ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$base_dir"
exec 9>"$base_dir/.lock"
flock 9 # serialise concurrent builds (e.g. several test runners starting at once)

if wrapper_works; then
  log "temporal-test-server $VERSION is cached in $dest"
  echo "$wrapper"
  exit 0
fi
[[ "${2:-}" == "--cached-only" ]] && exit 3

command -v mvn >/dev/null || die "mvn not found on PATH"
command -v curl >/dev/null || die "curl not found on PATH"

start_time=$SECONDS
log "building temporal-test-server $VERSION into $dest (java: $java_bin)"
rm -rf "$dest"
mkdir -p "$lib_dir" "$dest/bin" "$dest/cds"

work="$(mktemp -d)"
cat >"$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.build</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>$GROUP_ID</groupId>
      <artifactId>$ARTIFACT_ID</artifactId>
      <version>$VERSION</version>
    </dependency>
    <dependency>
      <groupId>${SLF4J_SIMPLE%%:*}</groupId>
      <artifactId>$(cut -d: -f2 <<<"$SLF4J_SIMPLE")</artifactId>
      <version>${SLF4J_SIMPLE##*:}</version>
    </dependency>
  </dependencies>
</project>
EOF

log "resolving $GROUP_ID:$ARTIFACT_ID:$VERSION and runtime dependencies with Maven"
if ! mvn -B -q -f "$work/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
  -DincludeScope=runtime -DoutputDirectory="$lib_dir" >"$work/mvn.log" 2>&1; then
  cat "$work/mvn.log" >&2
  die "maven resolution failed"
fi
[[ -f "$lib_dir/$ARTIFACT_ID-$VERSION.jar" ]] || die "$ARTIFACT_ID-$VERSION.jar missing from $lib_dir"
log "copied $(find "$lib_dir" -name '*.jar' | wc -l) jars ($(du -sh "$lib_dir" | cut -f1))"

# Training run: start the server with -XX:ArchiveClassesAtExit, serve a few requests so the
# request path is archived as well, then stop it gracefully (the archive is written at exit).
log "creating AppCDS archive (training run)"
port="$(free_port)" || die "no free port for the training run"
"$java_bin" "${JVM_FLAGS[@]}" -XX:ArchiveClassesAtExit="$jsa" \
  -cp "$lib_dir/*" "$MAIN_CLASS" "$port" >"$work/train.log" 2>&1 9>&- &
child_pid=$!
if ! wait_for_port "$child_pid" "$port" 60; then
  stop_pid "$child_pid"
  cat "$work/train.log" >&2
  die "training run did not listen on port $port"
fi
for method in \
  grpc.health.v1.Health/Check \
  temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo \
  temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace \
  temporal.api.testservice.v1.TestService/GetCurrentTime \
  temporal.api.testservice.v1.TestService/LockTimeSkipping \
  temporal.api.testservice.v1.TestService/UnlockTimeSkipping; do
  grpc_empty_call "$port" "$method"
done
stop_pid "$child_pid"
child_pid=""
if [[ ! -s "$jsa" ]]; then
  cat "$work/train.log" >&2
  log "WARNING: no CDS archive was written; the server will start without it (slower);" \
    "the next run of this script retries"
  jsa_flags=()
else
  log "CDS archive: $(du -h "$jsa" | cut -f1)"
  jsa_flags=(-XX:SharedArchiveFile="$jsa" -Xshare:auto)
fi

# Wrapper (written last, atomically: its presence marks a finished build).
{
  echo '#!/bin/sh'
  echo "# Generated by scripts/build-test-server.sh: $GROUP_ID:$ARTIFACT_ID:$VERSION from Maven Central."
  echo '# Usage: temporal-test-server <port> [--enable-time-skipping]'
  echo "# build-config: $config_id"
  echo '# exec (not a child process) so that killing this process kills the JVM.'
  printf 'exec' # POSIX-sh single-quoted words
  for arg in "$java_bin" "${JVM_FLAGS[@]}" "${jsa_flags[@]}" -cp "$lib_dir/*" "$MAIN_CLASS"; do
    printf " '%s'" "${arg//\'/\'\\\'\'}"
  done
  echo ' "$@"'
} >"$wrapper.tmp"
chmod +x "$wrapper.tmp"
mv -f "$wrapper.tmp" "$wrapper"

wrapper_works || die "generated wrapper $wrapper did not start a server within 5 s"
log "done in $((SECONDS - start_time)) s"
echo "$wrapper"

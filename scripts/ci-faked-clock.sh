#!/usr/bin/env bash
# Runs the date-sensitive suites once more under a faked wall clock (libfaketime, Debian's
# `faketime`): every process the run starts — node, the PostgreSQL server jest starts for it, the
# JVM of the time-skipping test server — sees the faked time, which keeps running (`@` mode).
# Called by .ci/run after `npm test`, on the compiled tests in dist/; exits non-zero on a failure.
#
# Not here: the suites on the Temporal dev server (test/integration/handoffs.test.ts, the steering
# figures). The Temporal CLI is a Go binary, and Go reads the clock through the vDSO, not libc, so
# libfaketime cannot reach it: its workflows would run on the real day while the API and the test
# run on the faked one (workflows refuse an outcome dated "in the future" — a failure of the set-up,
# not of the code). That suite takes its days from the records instead (see the test).
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(
  dist/test/domain
  dist/test/workflows/handoff.test.js
  dist/test/workflows/residence.test.js
  dist/test/integration/personContactConsent.test.js
)
# Instants in UTC (TZ=UTC: faketime reads them so); what the clock shows in Berlin:
clocks=(
  '2026-12-31 22:59:30' # 23:59:30 CET on New Year's Eve: the run crosses midnight and the year
  '2027-03-28 00:59:30' # 01:59:30 CET on the last Sunday of March 2027: at 02:00 the clocks go to 03:00 CEST
)

# A PostgreSQL server of the run's own (started by jest's global setup under the faked clock), not
# the machine's, whose clock is the real one.
unset TEST_DATABASE_URL
export TEST_DATABASE_PROBE_URL=postgresql://nobody@127.0.0.1:1/none

failed=0
for at in "${clocks[@]}"; do
  seen=$(TZ=UTC faketime -f "@$at" node -e 'process.stdout.write(new Date().toISOString().slice(0, 16))')
  if [ "$seen" != "${at:0:10}T${at:11:5}" ]; then
    echo "faketime does not reach node: it sees $seen instead of $at UTC" >&2
    exit 1
  fi
  printf '\n== faked clock from %s UTC\n' "$at"
  TZ=UTC faketime -f "@$at" npx jest "${suites[@]}" || failed=1
done
exit "$failed"

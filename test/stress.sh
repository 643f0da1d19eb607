#!/usr/bin/env bash
# The whole vitest suite while busy loops keep every core loaded, several
# times in a row: the conditions under which a test that leans on the machine
# being fast fails. Stops at the first red run.
#
#   test/stress.sh [RUNS]        RUNS defaults to 3
#   BUSY_LOOPS=4 test/stress.sh  how many busy loops (default 2, one per core of the 2-core CI machine)
#
# Run test/run-all.sh once first on a fresh machine: it installs the Debian
# packages the system tests drive, and type-checks and lints, which load does not change.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
loops="${BUSY_LOOPS:-2}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ && "$loops" =~ ^[0-9]+$ ]]; then
  echo "usage: test/stress.sh [RUNS] (a positive whole number; BUSY_LOOPS a whole number)" >&2
  exit 2
fi

busy=()
report=$(mktemp)
cleanup() {
  # only the loops this script started, by their pids
  if [ "${#busy[@]}" -gt 0 ]; then kill "${busy[@]}" 2>/dev/null; fi
  rm -f "$report"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in $(seq 1 "$loops"); do
  sh -c 'while :; do :; done' &
  busy+=("$!")
done
echo "== stress: $runs run(s) of the whole suite beside $loops busy loop(s) (pids ${busy[*]:-none})"

summaries=()
verdict=0
for run in $(seq 1 "$runs"); do
  started=$SECONDS
  : >"$report"
  status=0
  npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
  counts=$(node -e '
    try {
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
      const skipped = r.numPendingTests + r.numTodoTests
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""))
    } catch {
      console.log("no test report (vitest did not finish)")
    }
  ' "$report")
  line="run $run/$runs: $counts, $((SECONDS - started)) s, $([ "$status" = 0 ] && echo green || echo RED)"
  summaries+=("$line")
  echo "== stress $line"
  if [ "$status" != 0 ]; then
    verdict=1
    break
  fi
done

echo "== stress summary"
printf '%s\n' "${summaries[@]}"
if [ "$verdict" = 0 ]; then
  echo "stress: all $runs run(s) green under $loops busy loop(s)"
else
  echo "stress: FAILED at run ${#summaries[@]} of $runs under $loops busy loop(s)"
fi
exit "$verdict"

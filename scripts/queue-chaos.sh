#!/usr/bin/env bash
# The full fault run of issue 14 (docs/scale-out.md, "Proven under faults"): test/queue/chaos.e2e.test.ts.
# 1,000 short runs (a scripted worker sleeping 0.2–2 s per call) on 10 simulated hosts (network
# namespaces) × 2 workers; while they run, again and again: kill -9 random workers (a new one starts
# on the host), restart the server every 5–10 s, a host's link down for 30 s, SIGSTOP a worker past
# its lease. Then: cancel 50 running runs at once. Root only; tens of minutes on 2 cores.
#
#   scripts/queue-chaos.sh [postgres|redis] [runs] [hosts] [cancel]
#
# Prints `chaos report: {...}` lines (throughput, attempts, fenced writes, recovery per fault type,
# the cancel times) and `chaos progress:` every 30 s; exits non-zero when an assertion fails.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-postgres}; runs=${2:-1000}; hosts=${3:-10}; cancel=${4:-50}
[ "$(id -u)" = 0 ] || { echo "queue-chaos.sh: needs root (ip netns)" >&2; exit 2; }
bash scripts/services.sh install
# RUNR_CHAOS_NO_BUILD=1: use dist/ as it is (another test is running from it: a build removes it first).
[ -n "${RUNR_CHAOS_NO_BUILD:-}" ] || npm run build >/dev/null
RUNR_CHAOS_BACKEND=$backend RUNR_CHAOS_RUNS=$runs RUNR_CHAOS_HOSTS=$hosts RUNR_CHAOS_CANCEL=$cancel \
  RUNR_CHAOS_TIMEOUT_MS=${RUNR_CHAOS_TIMEOUT_MS:-10800000} npx vitest run --config vitest.chaos.config.ts

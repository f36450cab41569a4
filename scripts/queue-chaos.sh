#!/usr/bin/env bash
# The full fault run of issue 14 (docs/scale-out.md): 1,000 short runs, 10 simulated hosts (network
# namespaces) × 2 workers, kill -9 / server restart / link down / SIGSTOP while they run; the same
# assertions as the CI-scale test/queue/faults.e2e.test.ts, whose code it runs. Root only.
#
#   scripts/queue-chaos.sh [postgres|redis] [runs] [hosts]
#
# Prints a `faults report: {...}` line (throughput, attempts, fenced writes, recovery per fault).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-postgres}; runs=${2:-1000}; hosts=${3:-10}
[ "$(id -u)" = 0 ] || { echo "queue-chaos.sh: needs root (ip netns)" >&2; exit 2; }
bash scripts/services.sh install
npm run build >/dev/null
RUNR_CHAOS_BACKEND=$backend RUNR_CHAOS_RUNS=$runs RUNR_CHAOS_HOSTS=$hosts RUNR_CHAOS_TIMEOUT_MS=7200000 \
  npx vitest run --config vitest.faults.config.ts 2>&1 | tee /dev/stderr | grep 'faults report' || true

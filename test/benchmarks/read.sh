#!/usr/bin/env bash
# npm run bench:read (issues 6, 12): read throughput of our Search Emails vs n8n's built-in Gmail Get Many, in one real
# n8n 2.41.1 process against the Google stand-in (1,000 generated messages + the corpus for alice, 100 ms per request),
# first on the stand-in's legacy quota profile (250 units/s per user burst), then on its 2026 profile (6,000 units per
# user per sliding minute, messages.get 20 units). Prints figures; the last line is one JSON object. Knobs: BENCH_MESSAGES,
# BENCH_LATENCY_MS, BENCH_QUOTA, BENCH_PORT_BASE (5800), BENCH_WORK, E2E_SKIP_BUILD=1 (pack the existing dist/).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${BENCH_MESSAGES:=1000}" "${BENCH_LATENCY_MS:=100}" "${BENCH_QUOTA:=250}"
export BENCH_LATENCY_MS BENCH_QUOTA
bench_setup read "$BENCH_MESSAGES" || { echo "bench:read setup failed (logs in ${BENCH_WORK:-?})" >&2; exit 1; }
node "$BENCH_DIR/read.mjs"

#!/usr/bin/env bash
# npm run bench:instant (issue 17): our Gmail Workspace Trigger with Delivery "Instant (Pub/Sub)" side by side with the
# same trigger on Delivery "Polling" (every minute), both ACTIVE in one real n8n 2.41.1, against the Google stand-in on
# Gmail's 2026 quota profile with 100 ms per request. Each node watches its own stand-in mailbox; the same mail is
# delivered to both: BENCH_MESSAGES one by one at random moments over BENCH_MINUTES, then a burst of BENCH_BURST; idle
# mailboxes give quota units and Pub/Sub calls per hour; then a variant with 20 % of Gmail's notifications dropped and
# the watch lapsing once. Prints figures; the last line is one JSON object. Takes ~17 min with the defaults.
# Knobs: BENCH_MESSAGES (200), BENCH_MINUTES (5), BENCH_BURST (500), BENCH_VARIANT_MESSAGES (100),
# BENCH_VARIANT_MINUTES (3), BENCH_DROP_SHARE (0.2), BENCH_CATCHUP_MIN (3), BENCH_MAX_PER_POLL (1000),
# BENCH_LATENCY_MS (100), BENCH_PULL_WAIT_MS (the stand-in's long-poll wait; default its own 3000),
# BENCH_PORT_BASE (6200: n8n 6200-6202, stand-in 6230), BENCH_WORK ($GW_CACHE/bench-instant), E2E_SKIP_BUILD=1.
: "${BENCH_PORT_BASE:=6200}"
export BENCH_PORT_BASE
export E2E_STANDIN_QUOTA=2026
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${BENCH_WORK:=$GW_CACHE/bench-instant}"
export BENCH_WORK

bench_setup instant 0 || { echo "bench:instant setup failed (logs in $BENCH_WORK)" >&2; exit 1; }
node "$BENCH_DIR/instant.mjs"

#!/usr/bin/env bash
# npm run bench:send (issue 7): one large attachment sent by our Send Email with Attachment card and by n8n's built-in
# Gmail node, in one real n8n 2.41.1 process (binary data mode filesystem, its 2.41 default, set explicitly) against
# the Google stand-in; peak RSS growth of the n8n process per send, SHA-256 checked at the stand-in. Main figure:
# 25 MiB (the largest that fits Gmail's 36,700,160-byte limit after base64), then 30 MiB (over it) for both.
# Prints figures; the last line is one JSON object. Knobs: BENCH_ATTACHMENT_BYTES, BENCH_OVER_BYTES, BENCH_CASES,
# BENCH_PORT_BASE (5800), BENCH_WORK, E2E_SKIP_BUILD=1; BENCH_MEMPROBE=1 preloads memprobe.cjs into n8n (memoryUsage
# every 10 ms and every GC, printed per send), BENCH_MEMPROBE_GC=1 also starts n8n with --expose-gc and forces a full
# GC after each send (what stays vs garbage not yet collected).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${BENCH_WORK:=$GW_CACHE/bench-send}"
BENCH_FILES="$BENCH_WORK/files"   # the only folder the Read/Write Files node may read (N8N_RESTRICT_FILE_ACCESS_TO)
export BENCH_FILES
PROBE_ENV=()
if [ "${BENCH_MEMPROBE:-0}" = 1 ] || [ "${BENCH_MEMPROBE_GC:-0}" = 1 ]; then
  BENCH_MEMPROBE_FILE="$BENCH_WORK/memprobe.jsonl"
  expose=""; [ "${BENCH_MEMPROBE_GC:-0}" = 1 ] && expose=" --expose-gc"
  PROBE_ENV=("export NODE_OPTIONS=\"\$NODE_OPTIONS --require $BENCH_DIR/memprobe.cjs$expose\" BENCH_MEMPROBE_FILE='$BENCH_MEMPROBE_FILE'")
  export BENCH_MEMPROBE_FILE BENCH_MEMPROBE_GC
fi
bench_setup send 0 \
  "export N8N_DEFAULT_BINARY_DATA_MODE=filesystem N8N_RESTRICT_FILE_ACCESS_TO='$BENCH_FILES'" \
  "${PROBE_ENV[@]}" \
  || { echo "bench:send setup failed (logs in $BENCH_WORK)" >&2; exit 1; }
# bounded: one run once hung in process.exit (Node 24, main thread parked on a futex) after printing its result
timeout 1200 node "$BENCH_DIR/send.mjs"

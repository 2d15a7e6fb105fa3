#!/usr/bin/env bash
# npm run bench:send (issue 7): one large attachment sent by our Send Email with Attachment card and by n8n's built-in
# Gmail node, in one real n8n 2.41.1 process (binary data mode filesystem, its 2.41 default, set explicitly) against
# the Google stand-in; peak RSS growth of the n8n process per send, SHA-256 checked at the stand-in. Main figure:
# 25 MiB (the largest that fits Gmail's 36,700,160-byte limit after base64), then 30 MiB (over it) for both.
# Prints figures; the last line is one JSON object. Knobs: BENCH_ATTACHMENT_BYTES, BENCH_OVER_BYTES,
# BENCH_PORT_BASE (5800), BENCH_WORK, E2E_SKIP_BUILD=1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${BENCH_WORK:=$GW_CACHE/bench-send}"
BENCH_FILES="$BENCH_WORK/files"   # the only folder the Read/Write Files node may read (N8N_RESTRICT_FILE_ACCESS_TO)
export BENCH_FILES
bench_setup send 0 \
  "export N8N_DEFAULT_BINARY_DATA_MODE=filesystem N8N_RESTRICT_FILE_ACCESS_TO='$BENCH_FILES'" \
  || { echo "bench:send setup failed (logs in $BENCH_WORK)" >&2; exit 1; }
# bounded: one run once hung in process.exit (Node 24, main thread parked on a futex) after printing its result
timeout 1200 node "$BENCH_DIR/send.mjs"

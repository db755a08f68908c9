#!/bin/sh
# Entry point the DevLake server executes (REMOTE_PLUGIN_DIR/<plugin>/run.sh): runs the prebuilt bundle
# with plain node. `exec` so that the server's SIGTERM reaches node, not this shell (and so that the
# benchmark's peak-RSS probe, which reads /proc/<pid>, measures node itself).
cd "$(dirname "$0")" || exit 1
# V8 heap limits: with explicit limits V8 collects garbage sooner, which keeps a subtask's RSS
# near 135 MiB whatever the number of records (about 250 MiB with the defaults); 512 MiB is headroom.
exec node --max-semi-space-size=4 --max-old-space-size=512 dist/main.js "$@"

#!/bin/sh
# Entry point the DevLake server executes (REMOTE_PLUGIN_DIR/<plugin>/run.sh): runs the prebuilt bundle
# with plain node. `exec` so that the server's SIGTERM reaches node, not this shell (and so that the
# benchmark's peak-RSS probe, which reads /proc/<pid>, measures node itself).
cd "$(dirname "$0")" || exit 1
exec node dist/main.js "$@"

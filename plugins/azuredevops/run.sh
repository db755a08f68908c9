#!/bin/sh
# Entry point the DevLake server executes (REMOTE_PLUGIN_DIR/<plugin>/run.sh). dist/run, written by the
# build (scripts/build.mjs), starts node on the prebuilt plugin with the framework's heap limits.
exec "$(dirname "$0")/dist/run" "$@"

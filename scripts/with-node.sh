#!/usr/bin/env bash
# Runs a command with a Node.js that Passport supports first on PATH (see toolchain.sh): the npm scripts go through
# it, so `npm start` and `npm test` work on a machine whose own node is older than 22.12.
# shellcheck source=toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh" || exit 1
exec "$@"

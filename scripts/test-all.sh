#!/usr/bin/env bash
# The one command that sets up a fresh machine and runs the whole test suite:
# installs and starts Docker Engine, installs Chromium, installs the npm packages,
# then runs `npm test`. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-docker.sh
bash scripts/install-chromium.sh
node scripts/install-deps.js
npm test

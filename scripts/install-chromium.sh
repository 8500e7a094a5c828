#!/usr/bin/env bash
# Installs Debian's Chromium for the Playwright end-to-end tests when it is missing.
# Playwright cannot download its own browsers on offline machines; the tests use
# /usr/bin/chromium (or WHEELHOUSE_CHROMIUM) instead.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "[install-chromium] $(chromium --version 2>/dev/null || echo chromium) is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "[install-chromium] Chromium is not installed and this script needs root to install it (try: sudo $0)."
  exit 1
fi
echo "[install-chromium] installing Chromium from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "[install-chromium] $(chromium --version)"

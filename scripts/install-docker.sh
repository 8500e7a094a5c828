#!/usr/bin/env bash
# Installs Docker Engine from Debian's packages when it is missing, and starts dockerd
# when it is not running (there is no systemd on build machines). Safe to run twice.
set -euo pipefail

log() { printf '[install-docker] %s\n' "$*"; }

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    log "Docker Engine is not installed and this script needs root to install it (try: sudo $0)."
    exit 1
  fi
  log "installing Docker Engine (docker.io) from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io iptables busybox-static >/dev/null
fi

# The offline node image is assembled from the host's binaries plus busybox-static.
if ! command -v busybox >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  log "installing busybox-static and iptables (used to build the node image offline)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq busybox-static iptables >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq busybox-static iptables >/dev/null; }
fi

if docker info >/dev/null 2>&1; then
  log "Docker Engine is running: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
  exit 0
fi

log "starting dockerd in the background (log: /var/log/dockerd.log)..."
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "Docker Engine is running: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; see /var/log/dockerd.log:"
tail -n 20 /var/log/dockerd.log || true
exit 1

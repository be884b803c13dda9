#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing (never downloads a
# browser build of its own: playwright-core drives this one).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "==> apt-get install -y chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends chromium
fi

#!/usr/bin/env bash
# Installs Debian's Chromium and the CJK fonts the browser tests need.
# Playwright cannot download its own browser here, so the e2e tests drive
# /usr/bin/chromium. Idempotent: does nothing when both are already present.
set -euo pipefail

have_fonts() { dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'; }

if [ -x /usr/bin/chromium ] && have_fonts; then
  echo "install-browser: chromium and fonts-noto-cjk already installed, skipping"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-browser: run as root (or install sudo)" >&2; exit 1; }
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk
/usr/bin/chromium --version

#!/usr/bin/env bash
# Installs Debian's Chromium and the CJK fonts the browser tests need, and
# the TrueType Chinese fonts the GB/T 9704 PDF layout embeds
# (officeapi/layout.SystemFonts: AR PL SungtiL GB and KaitiM GB, WenQuanYi
# Micro Hei).
# Playwright cannot download its own browser here, so the e2e tests drive
# /usr/bin/chromium. Idempotent: does nothing when both are already present.
set -euo pipefail

FONTS="fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-microhei"
have_fonts() {
  for f in $FONTS; do
    dpkg-query -W -f='${Status}' "$f" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}

if [ -x /usr/bin/chromium ] && have_fonts; then
  echo "install-browser: chromium and the fonts already installed, skipping"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-browser: run as root (or install sudo)" >&2; exit 1; }
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends chromium $FONTS
/usr/bin/chromium --version

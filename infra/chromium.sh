#!/usr/bin/env bash
# Debian's Chromium, which the browser tests (BrowserIT) drive with Playwright. Installed from the machine's apt
# sources when /usr/bin/chromium is missing; needs root or passwordless sudo.
# Usage: infra/chromium.sh install
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

CHROMIUM=/usr/bin/chromium

case "${1:-}" in
  install)
    [[ -x "$CHROMIUM" ]] && exit 0
    ab_say "chromium: installing Debian's Chromium for the browser tests ..."
    ab_apt_install chromium chromium
    [[ -x "$CHROMIUM" ]] || ab_die "chromium: $CHROMIUM is missing after 'apt-get install chromium'; see $(ab_log_file chromium-install)"
    ;;
  *) ab_die "usage: infra/chromium.sh install" ;;
esac

#!/bin/sh
# The browser tests drive Debian's Chromium. Install it when missing and we can (root with apt);
# otherwise say exactly what to do.
set -e
CHROMIUM="${TIP_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "The browser tests need Chromium at $CHROMIUM." >&2
echo "Install it with: sudo apt-get install chromium  (or set TIP_CHROMIUM to its path)." >&2
exit 1

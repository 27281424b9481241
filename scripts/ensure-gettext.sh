#!/bin/sh
# `make messages` and the translation tests extract messages with GNU gettext (Django's
# makemessages runs xgettext, msguniq, msgmerge and msgattrib). Install it when missing and we
# can (root with apt); otherwise say exactly what to do.
set -e
if command -v xgettext >/dev/null 2>&1 && command -v msgmerge >/dev/null 2>&1 \
  && command -v msguniq >/dev/null 2>&1 && command -v msgattrib >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing GNU gettext for the translation tests (apt-get install gettext)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  command -v xgettext >/dev/null 2>&1 && exit 0
fi
echo "The translation tests and \`make messages\` need GNU gettext (xgettext, msgmerge, msguniq, msgattrib)." >&2
echo "Install it with: sudo apt-get install gettext  (or brew install gettext on macOS)." >&2
exit 1

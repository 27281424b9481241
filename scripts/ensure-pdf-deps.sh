#!/bin/sh
# The PDF and PNG exports render with WeasyPrint, which needs Pango (libpango-1.0-0,
# libpangoft2-1.0-0) and fonts found through fontconfig: without a font the PDF's text comes out
# empty. Liberation Sans has Arial's metrics, so the diagram's titles fit their boxes as they do in
# a browser; DejaVu Sans covers every other character. HarfBuzz's subsetter makes the fonts
# embedded in a PDF small, quickly. Install them when missing and we can (root with apt);
# otherwise say exactly what to do.
# Usage: sh scripts/ensure-pdf-deps.sh [PYTHON]   (PYTHON: the venv's, with WeasyPrint installed)
set -e
PYTHON="${1:-.venv/bin/python}"
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation2 fonts-dejavu-core"

pango_ok() {
  "$PYTHON" -W ignore -c 'import weasyprint' >/dev/null 2>&1
}
subset_ok() {
  "$PYTHON" -W ignore -c 'from weasyprint.text import ffi; assert ffi.harfbuzz_subset' \
    >/dev/null 2>&1
}
arial_ok() {
  command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -qiE 'liberation sans|arial'
}
any_font() {
  command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list : family)" ]
}
all_ok() {
  pango_ok && subset_ok && arial_ok
}

if all_ok; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Pango and fonts for the PDF and PNG exports (apt-get install $PACKAGES)..."
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
  if all_ok; then
    exit 0
  fi
fi
if pango_ok && any_font; then
  # The exports work; say what would make them better.
  if ! subset_ok; then
    echo "Note: install libharfbuzz-subset0 for smaller, faster PDF exports." >&2
  fi
  if ! arial_ok; then
    echo "Note: no Arial or Liberation Sans font was found, so exported diagrams use a wider" >&2
    echo "font and long titles may run past their boxes. Install fonts-liberation2." >&2
  fi
  exit 0
fi
echo "The PDF and PNG exports need Pango and at least one font (WeasyPrint renders them)." >&2
echo "Install them with: sudo apt-get install $PACKAGES" >&2
echo "(on macOS: brew install pango; elsewhere see WeasyPrint's installation guide)." >&2
exit 1

#!/usr/bin/env bash
# Install what the tests need (system fonts for the sample generator, the
# package with its test extras) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: a CJK font for regenerating the sample PDFs, poppler for rendering pages,
# chromium for loading the HTML report in a real browser.
need=()
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# A headless browser for the HTML report test (tests/test_html_browser.py).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing system packages (install them as root): ${need[*]}" >&2
  fi
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test,dask]'
exec python3 -m pytest -q "$@"

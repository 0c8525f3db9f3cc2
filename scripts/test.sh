#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite:
# lint (ruff), unit and AppTest tests, and real-browser tests in Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
  "${APT[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq chromium >/dev/null
fi

python -m ruff check .
python -m ruff format --check .
python -m pytest "$@"

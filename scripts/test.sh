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

# The class store's tests run on PostgreSQL as well as SQLite: start Debian's server (installing
# it if needed) unless GV_TEST_POSTGRES_URL already names one. In CI a failure here is fatal, so
# those tests are never skipped unnoticed.
if [ -z "${GV_TEST_POSTGRES_URL:-}" ]; then
  if GV_TEST_POSTGRES_URL="$(bash scripts/postgres.sh)"; then
    export GV_TEST_POSTGRES_URL
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: PostgreSQL could not be started" >&2; exit 1
  else
    unset GV_TEST_POSTGRES_URL
    echo "test.sh: PostgreSQL could not be started; the store's PostgreSQL tests will skip" >&2
  fi
fi

python -m ruff check .
python -m ruff format --check .
# Over every core (pytest-xdist); tests/conftest.py keeps each file in one process. The 30
# slowest tests are listed at the end, to keep an eye on the CI budget.
python -m pytest -n auto --dist loadgroup --durations=30 "$@"

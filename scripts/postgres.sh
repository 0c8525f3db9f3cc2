#!/usr/bin/env bash
# Start Debian's PostgreSQL for the class store's tests (installing it if missing), make a role
# and a database for them, and print the URL to export as GV_TEST_POSTGRES_URL.
#   export GV_TEST_POSTGRES_URL="$(bash scripts/postgres.sh)"
# Needs root (or sudo); prints nothing and exits 1 when PostgreSQL cannot be had.
set -euo pipefail
ROLE=gv_test
DB=gv_test
PASSWORD=gv_test  # a throwaway local test database on 127.0.0.1 only
if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres.sh: installing PostgreSQL (apt-get install -y postgresql)" >&2
  "${SUDO[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq postgresql >/dev/null
fi
# The newest installed server version; its cluster "main" (made by the package) or a new one.
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$VERSION main"; then
  "${SUDO[@]}" pg_createcluster "$VERSION" main >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')"
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  "${SUDO[@]}" pg_ctlcluster "$VERSION" main start >&2
fi
psql_admin() {  # psql as the server's superuser, over its local socket
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- psql -p "$PORT" -qtAX "$@"
  else sudo -u postgres psql -p "$PORT" -qtAX "$@"; fi
}
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"

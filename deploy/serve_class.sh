#!/usr/bin/env bash
# Serve Gradient Valley to a class: N Streamlit processes behind nginx with sticky sessions.
#
#   deploy/serve_class.sh start     # N = number of CPU cores; http://127.0.0.1:8080
#   deploy/serve_class.sh status
#   deploy/serve_class.sh stop
#
# Settings (environment variables):
#   GV_WORKERS    Streamlit processes (default: the number of CPU cores)
#   GV_LISTEN     nginx's address:port (default 127.0.0.1:8080; 0.0.0.0:8080 opens it to the
#                 room's network, e.g. the lecture hall's Wi-Fi)
#   GV_BASE_PORT  first Streamlit port; the processes use consecutive loopback ports (8601...)
#   GV_RUN_DIR    pid files, logs and the generated nginx.conf (default /tmp/gradient-valley)
#
# Each Streamlit process listens on 127.0.0.1 only; nginx is the one public door. nginx is
# installed with apt-get if it is missing. Stop with `deploy/serve_class.sh stop`, which ends
# exactly the processes this script started (by their pid files).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
WORKERS="${GV_WORKERS:-$(nproc)}"
LISTEN="${GV_LISTEN:-127.0.0.1:8080}"
BASE_PORT="${GV_BASE_PORT:-8601}"
RUN_DIR="${GV_RUN_DIR:-/tmp/gradient-valley}"
PYTHON="${PYTHON:-python3}"
STARTUP_TIMEOUT=120

die() { echo "serve_class: $*" >&2; exit 1; }

find_nginx() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

install_nginx() {
  local apt=(apt-get)
  [ "$(id -u)" = 0 ] || apt=(sudo apt-get)
  echo "serve_class: installing nginx (apt-get install -y nginx)"
  "${apt[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq nginx >/dev/null
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_healthy() {  # url, pid file
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  until "$PYTHON" - "$1" <<'EOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
  do
    alive "$2" || die "the process behind $1 exited; see its log in $RUN_DIR"
    [ $SECONDS -lt $deadline ] || die "$1 did not become healthy within ${STARTUP_TIMEOUT} s"
    sleep 0.5
  done
}

start() {
  [[ "$WORKERS" =~ ^[1-9][0-9]?$ ]] || die "GV_WORKERS must be a number from 1 to 99"
  [[ "$BASE_PORT" =~ ^[0-9]+$ ]] || die "GV_BASE_PORT must be a port number"
  if alive "$RUN_DIR/nginx.pid"; then die "already running (see $RUN_DIR); stop it first"; fi
  local nginx; nginx="$(find_nginx)"
  if [ -z "$nginx" ]; then install_nginx; nginx="$(find_nginx)"; fi
  [ -n "$nginx" ] || die "nginx could not be installed"
  mkdir -p "$RUN_DIR"

  local servers="" port i
  for ((i = 0; i < WORKERS; i++)); do
    port=$((BASE_PORT + i))
    (
      cd "$ROOT"
      exec nohup "$PYTHON" -m streamlit run app.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --browser.gatherUsageStats false --server.fileWatcherType none \
        >"$RUN_DIR/streamlit-$port.log" 2>&1
    ) &
    echo $! >"$RUN_DIR/streamlit-$port.pid"
    servers+="        server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"$'\n'
  done
  for ((i = 0; i < WORKERS; i++)); do
    port=$((BASE_PORT + i))
    wait_healthy "http://127.0.0.1:$port" "$RUN_DIR/streamlit-$port.pid"
  done

  local conf
  conf="$(<"$HERE/nginx.conf.template")"
  conf="${conf//@RUN_DIR@/$RUN_DIR}"
  conf="${conf//@LISTEN@/$LISTEN}"
  conf="${conf//@UPSTREAM_SERVERS@/${servers%$'\n'}}"
  printf '%s\n' "$conf" >"$RUN_DIR/nginx.conf"
  "$nginx" -t -q -p "$RUN_DIR" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" \
    || { stop; die "the generated nginx.conf does not pass nginx -t"; }
  "$nginx" -p "$RUN_DIR" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" \
    || { stop; die "nginx did not start; see $RUN_DIR/nginx-error.log"; }
  wait_healthy "http://$LISTEN" "$RUN_DIR/nginx.pid"
  echo "Gradient Valley: http://$LISTEN ($WORKERS processes on ports $BASE_PORT-$((BASE_PORT + WORKERS - 1)) behind nginx)"
  echo "Stop with: $0 stop"
}

stop_pid_file() {  # end one process we started, by its pid file; wait up to 15 s
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  [ -d "$RUN_DIR" ] || { echo "serve_class: nothing running ($RUN_DIR does not exist)"; return 0; }
  stop_pid_file "$RUN_DIR/nginx.pid"  # TERM: nginx's master stops its worker too
  local file
  for file in "$RUN_DIR"/streamlit-*.pid; do
    [ -e "$file" ] && stop_pid_file "$file"
  done
  echo "serve_class: stopped"
}

status() {
  local file state=0
  for file in "$RUN_DIR"/nginx.pid "$RUN_DIR"/streamlit-*.pid; do
    [ -e "$file" ] || continue
    if alive "$file"; then echo "running  $(basename "$file" .pid) (pid $(cat "$file"))"
    else echo "DEAD     $(basename "$file" .pid)"; state=1; fi
  done
  return $state
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status  (see the top of this file for settings)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Web server, Celery worker and beat side by side; Ctrl-C (or any of them dying) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST_PORT=${RUN_ADDRESS:-127.0.0.1:8000}

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping PeerTrain…"
  kill -TERM "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT

$BIN/celery -A peertrain worker --loglevel=INFO --concurrency=2 --hostname=worker@%h &
pids+=($!)
$BIN/celery -A peertrain beat --loglevel=INFO &
pids+=($!)
$BIN/python manage.py runserver "$HOST_PORT" &
pids+=($!)

echo "PeerTrain on http://$HOST_PORT — sign in as employee@example.com / peertrain-demo"
wait -n "${pids[@]}"
stop

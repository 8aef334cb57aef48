#!/usr/bin/env bash
# Benchmark: the cached list page of the largest corpus list (awesome-go) served by gunicorn,
# against the same HTML as a static file served by whitenoise in the same gunicorn, both
# measured with wrk in one run. Prints requests/s of each and the ratio (goal: >= 0.5).
#
#   bench/pages.sh [--duration 10] [--connections 8] [--workers 2]
#
# Loopback only; a scratch SQLite database and scratch static folders, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10 CONNECTIONS=8 WORKERS=2
# A free loopback port (another server may hold any fixed one).
PORT=${BENCH_PORT:-$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
CORPUS=../shared/corpus/awesome/avelino__awesome-go.md
PY=.venv/bin/python

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null; else
    echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 1; fi
fi

SCRATCH=$(mktemp -d /tmp/curator-pages-bench.XXXXXX)
GUNICORN_PID=
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=bench.pages_settings PYTHONPATH=.
export DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench-only-not-secret-$$
export DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL="sqlite:///$SCRATCH/bench.sqlite3" CACHE_URL=locmemcache://
export BENCH_STATIC_ROOT="$SCRATCH/static" BENCH_WHITENOISE_ROOT="$SCRATCH/root"
mkdir -p "$BENCH_WHITENOISE_ROOT"

echo "== set-up: migrate, import $(basename "$CORPUS"), collectstatic"
$PY manage.py migrate -v 0
$PY manage.py import_readme "$CORPUS" --list awesome-go >/dev/null
$PY manage.py collectstatic --noinput -v 0
# The same bytes the view serves, as a file whitenoise finds at start-up.
$PY manage.py shell -c "
from django.test import Client
from catalog.models import Entry
r = Client().get('/lists/awesome-go/')
assert r.status_code == 200, r.status_code
open('$BENCH_WHITENOISE_ROOT/awesome-go.html', 'wb').write(r.content)
print(f'list page: {Entry.objects.published().count()} entries, {len(r.content):,} bytes')
"

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning >"$SCRATCH/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

PAGE="http://127.0.0.1:$PORT/lists/awesome-go/"
STATIC="http://127.0.0.1:$PORT/awesome-go.html"
curl -fsS "$PAGE" >"$SCRATCH/served.html" || { cat "$SCRATCH/gunicorn.log" >&2; exit 1; }
cmp -s "$SCRATCH/served.html" "$BENCH_WHITENOISE_ROOT/awesome-go.html" || { echo "page and file differ" >&2; diff "$SCRATCH/served.html" "$BENCH_WHITENOISE_ROOT/awesome-go.html" | head -5 >&2; exit 1; }
# Warm every worker's page cache (the first view of each worker renders the page).
wrk -t1 -c"$CONNECTIONS" -d3s "$PAGE" >/dev/null

rate() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "== wrk: ${DURATION}s each, $CONNECTIONS connections, gunicorn $WORKERS sync workers"
PAGE_RATE=$(rate "$PAGE")
STATIC_RATE=$(rate "$STATIC")
printf '%-34s %10s req/s\n' "list page (Django, cached)" "$PAGE_RATE" "same HTML as a static file" "$STATIC_RATE"
awk -v p="$PAGE_RATE" -v s="$STATIC_RATE" 'BEGIN { r = p / s; printf "ratio page/static: %.2f (goal >= 0.50) %s\n", r, (r >= 0.5 ? "OK" : "BELOW GOAL") }'

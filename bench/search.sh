#!/usr/bin/env bash
# Search under load: the production set-up of bench/load.sh (gunicorn sync workers, DEBUG off,
# PostgreSQL, the Redis cache, awesome-go plus GENERATED generated entries imported in bulk, so
# the search index is exactly as an import leaves it), measured with wrk on a search for a
# common, a medium and a rare word of awesome-go, against the list page's HTML served as a
# static file by the same gunicorn in the same run.
#
#   bash bench/search.sh                    # 30 s per endpoint
#   DURATION=10 bash bench/search.sh
#
# The same three searches run twice: as wrk sends them (a common query's page comes from the
# list's cache after its second request), and "uncached", each request with a different
# never-matching "-word" appended, so every one is searched and rendered.
#
# Prints req/s, p50, p99 and each rate as a ratio of the static file's (goal: search >= 0.2x).
# Exits non-zero on a non-2xx answer, a socket error or an error in the server's log.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
GENERATED=${GENERATED:-5000}
POSTGRES=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
CORPUS=${CORPUS:-../shared/corpus/awesome/avelino__awesome-go.md}
SLUG=awesome-go
PY=.venv/bin/python

for tool in wrk psql redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench/search.sh needs $tool" >&2; exit 2; }
done
PORT=$($PY -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
DB=curator_search_$$
PREFIX=curator-search-$$
SCRATCH=$(mktemp -d /tmp/curator-search-bench.XXXXXX)
GUNICORN_PID=

cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  psql "$POSTGRES/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -u "$REDIS" --scan --pattern "$PREFIX:*" 2>/dev/null | xargs -r redis-cli -u "$REDIS" del >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=bench.pages_settings PYTHONPATH=.
export DJANGO_DEBUG=false DJANGO_SECRET_KEY="bench-only-not-secret-$$-$RANDOM"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL="$POSTGRES/$DB" DATABASE_CONN_MAX_AGE=60
export CACHE_URL="$REDIS" CACHE_KEY_PREFIX="$PREFIX"
export API_THROTTLE_ANON=off API_THROTTLE_USER=off DJANGO_LOG_LEVEL=WARNING
export BENCH_STATIC_ROOT="$SCRATCH/static" BENCH_WHITENOISE_ROOT="$SCRATCH/root"
mkdir -p "$BENCH_WHITENOISE_ROOT"

echo "== set-up: database $DB, migrate, import awesome-go and $GENERATED generated entries"
psql "$POSTGRES/postgres" -qc "CREATE DATABASE $DB" >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py import_readme "$CORPUS" --list "$SLUG" | tail -1
$PY - "$GENERATED" >"$SCRATCH/generated.md" <<'EOF'
import sys
from catalog.markdown.document import EntryDoc, ListDoc, SectionDoc
from catalog.markdown.render import render_readme

total, per_section = int(sys.argv[1]), 100
sections = tuple(
    SectionDoc(
        title=f"Group {s}",
        slug=f"group-{s}",
        entries=tuple(
            EntryDoc(
                title=f"Tool {s}-{n}",
                url=f"https://tools.example.org/{s}/{n}",
                description=f"Stores database rows of group {s}, number {n}, quickly.",
            )
            for n in range(per_section)
        ),
    )
    for s in range(max(1, total // per_section))
)
print(render_readme(ListDoc(title="Awesome Generated", tagline="Generated.", sections=sections)), end="")
EOF
$PY manage.py import_readme "$SCRATCH/generated.md" --list generated | tail -1
$PY manage.py collectstatic --noinput -v 0
$PY manage.py shell -c "
from django.test import Client
r = Client().get('/lists/$SLUG/')
assert r.status_code == 200, r.status_code
open('$BENCH_WHITENOISE_ROOT/list.html', 'wb').write(r.content)
print(f'static file: the list page, {len(r.content):,} bytes')
"

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 30 --no-control-socket --log-level info >"$SCRATCH/server.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
NAMES=("static file" "search common" "search medium" "search rare" "common uncached" "medium uncached" "rare uncached")
PATHS=(
  "/list.html"
  "/lists/$SLUG/search/?q=database"
  "/lists/$SLUG/search/?q=postgres"
  "/lists/$SLUG/search/?q=wordpress"
  "/lists/$SLUG/search/?q=database"
  "/lists/$SLUG/search/?q=postgres"
  "/lists/$SLUG/search/?q=wordpress"
)
UNCACHED=(no no no no yes yes yes)
cat >"$SCRATCH/uncached.lua" <<'LUA'
-- Every request a query of its own: the words, and a word no entry has, excluded.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n, started = 0, os.time()
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "+-zq" .. started .. "t" .. id .. "n" .. n)
end
LUA
for path in "${PATHS[@]:0:4}"; do
  status=$(curl -s -o "$SCRATCH/body" -w '%{http_code}' "$BASE$path")
  [ "$status" = 200 ] || { echo "$path answers $status" >&2; tail -20 "$SCRATCH/server.log" >&2; exit 1; }
  echo "   $path: $(grep -o '<h2 id="results-heading">[^<]*' "$SCRATCH/body" | sed 's/.*>//')"
done

echo "== wrk: ${DURATION}s per endpoint, $THREADS threads, $CONNECTIONS connections; gunicorn $WORKERS sync workers on $(nproc) cores"
echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %10s %10s %10s %8s %9s %8s\n' endpoint "req/s" p50 p99 ratio non-2xx sockets
FAILED=0 STATIC_RATE=
for i in "${!PATHS[@]}"; do
  url="$BASE${PATHS[$i]}"
  script=()
  if [ "${UNCACHED[$i]}" = yes ]; then script=(-s "$SCRATCH/uncached.lua"); fi
  wrk -t1 -c"$WORKERS" -d2s "${script[@]}" "$url" >/dev/null  # warm every worker
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "${script[@]}" "$url" >"$SCRATCH/wrk.txt"
  rate=$(awk '/^Requests\/sec/ { print $2 }' "$SCRATCH/wrk.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$SCRATCH/wrk.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$SCRATCH/wrk.txt")
  non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$SCRATCH/wrk.txt")
  sockets=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$SCRATCH/wrk.txt")
  non2xx=${non2xx:-0} sockets=${sockets:-0}
  STATIC_RATE=${STATIC_RATE:-$rate}
  ratio=$(awk -v r="$rate" -v s="$STATIC_RATE" 'BEGIN { printf "%.2fx", r / s }')
  printf '%-16s %10s %10s %10s %8s %9s %8s\n' "${NAMES[$i]}" "$rate" "$p50" "$p99" "$ratio" "$non2xx" "$sockets"
  if [ "$non2xx" != 0 ] || [ "$sockets" != 0 ]; then FAILED=1; fi
done
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
LOG_ERRORS=$(grep -ciE 'error|traceback|exception|critical' "$SCRATCH/server.log" || true)
echo "server log: $LOG_ERRORS lines with an error or a traceback"
if [ "$LOG_ERRORS" != 0 ]; then
  grep -iE 'error|traceback|exception|critical' "$SCRATCH/server.log" | head -20
  FAILED=1
fi
if [ "$FAILED" != 0 ]; then echo "FAILED: errors above" >&2; exit 1; fi
echo "OK: every answer a 2xx, no socket error, no error in the log"

#!/usr/bin/env bash
# Load benchmark: the production set-up on one machine — gunicorn with several workers, DEBUG
# off, PostgreSQL and the Redis cache — serving the largest corpus list (awesome-go) plus a
# generated list of a few thousand entries, measured with wrk on the list page, search, the
# entries API, the list document, the Atom and JSON feeds, a tag page and the home page, each
# also as a ratio of the rate of the list page's bytes served as a static file in the same run.
#   ONLY='list page|feed' bash bench/load.sh   # only these (and the static file)
#
#   bash bench/load.sh                      # 60 s per endpoint
#   DURATION=10 bash bench/load.sh          # shorter
#   WORKERS=4 CONNECTIONS=32 GENERATED=10000 bash bench/load.sh
#
# Prints requests/s, p50 and p99 latency and the non-2xx answers and socket errors of each
# endpoint, then counts errors and tracebacks in the server's log. Exits non-zero if any answer
# was not a 2xx, any socket error happened, or the log holds an error.
#
# A fresh PostgreSQL database (created and dropped here), a Redis key prefix of its own (its keys
# deleted at the end), scratch static files; API throttles off (API_THROTTLE_*=off), since one
# client address sends everything.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
GENERATED=${GENERATED:-5000}
POSTGRES=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
CORPUS_DIR=../shared/corpus/awesome
PY=.venv/bin/python

for tool in wrk psql redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench/load.sh needs $tool" >&2; exit 2; }
done
# The largest list of the corpus, by size (INDEX.tsv: file, repo, commit, license, bytes, …):
# avelino__awesome-go.md, served as the list "awesome-go".
CORPUS_FILE=$(awk -F'\t' 'NR > 1 { print $5 "\t" $1 }' "$CORPUS_DIR/INDEX.tsv" | sort -n | tail -1 | cut -f2)
CORPUS="$CORPUS_DIR/$CORPUS_FILE"
SLUG=${CORPUS_FILE#*__}
SLUG=${SLUG%.md}

PORT=$($PY -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
DB=curator_load_$$
PREFIX=curator-load-$$
SCRATCH=$(mktemp -d /tmp/curator-load-bench.XXXXXX)
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
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false
export DATABASE_URL="$POSTGRES/$DB" DATABASE_CONN_MAX_AGE=60
export CACHE_URL="$REDIS" CACHE_KEY_PREFIX="$PREFIX"
export API_THROTTLE_ANON=off API_THROTTLE_USER=off DJANGO_LOG_LEVEL=WARNING
export BENCH_STATIC_ROOT="$SCRATCH/static" BENCH_WHITENOISE_ROOT="$SCRATCH/root"
mkdir -p "$BENCH_WHITENOISE_ROOT"

echo "== set-up: database $DB, migrate, import $CORPUS_FILE and $GENERATED generated entries, collectstatic"
psql "$POSTGRES/postgres" -qc "CREATE DATABASE $DB" >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py import_readme "$CORPUS" --list "$SLUG" | tail -1
$PY - "$GENERATED" >"$SCRATCH/generated.md" <<'EOF'
# A list of N entries in nested sections, with a legend, markers, tags and extra links.
import sys
from catalog.markdown.document import EntryDoc, ExtraLinkDoc, ListDoc, MarkerDef, SectionDoc
from catalog.markdown.render import render_readme

total, per_section = int(sys.argv[1]), 100
sections = []
for s in range(max(1, total // per_section)):
    entries = tuple(
        EntryDoc(
            title=f"Tool {s}-{n}",
            url=f"https://tools.example.org/{s}/{n}",
            description=f"Stores database rows of group {s}, number {n}, quickly.",
            extra_links=(ExtraLinkDoc("Source Code", f"https://src.example.org/{s}/{n}"),) if n % 3 == 0 else (),
            markers=("⭐",) if n % 10 == 0 else (),
            tags=("MIT", "Go") if n % 4 == 0 else (),
        )
        for n in range(per_section)
    )
    child = SectionDoc(title=f"Group {s} Extras", slug=f"group-{s}-extras", entries=entries[:10])
    sections.append(SectionDoc(title=f"Group {s}", slug=f"group-{s}", entries=entries[10:], children=(child,)))
doc = ListDoc(
    title="Awesome Generated",
    tagline="A generated list for the load benchmark.",
    markers=(MarkerDef("⭐", "star", "Recommended"),),
    sections=tuple(sections),
)
print(render_readme(doc), end="")
EOF
$PY manage.py import_readme "$SCRATCH/generated.md" --list generated | tail -1
$PY manage.py collectstatic --noinput -v 0
# The list page's own bytes, served by WhiteNoise as a plain file: the yardstick each endpoint's
# rate is divided by (same run, same load on the machine).
$PY manage.py shell -c "
from catalog.models import CuratedList
from catalog.views.lists import _list_html
page = _list_html(CuratedList.objects.get(slug='$SLUG'))
open('$BENCH_WHITENOISE_ROOT/static-list-page.html', 'wb').write(page)"

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 30 --no-control-socket --log-level info >"$SCRATCH/server.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
NAMES=("static file" "list page" "search" "API entries" "list document" "Atom feed" "JSON feed" "tag page" "home")
PATHS=(
  "/static-list-page.html"
  "/lists/$SLUG/"
  "/lists/$SLUG/search/?q=database"
  "/api/entries/?list=$SLUG"
  "/api/lists/$SLUG/document/"
  "/lists/$SLUG/feed.atom"
  "/lists/$SLUG/feed.json"
  "/lists/generated/tags/go/"
  "/"
)
# ONLY=regex measures the endpoints whose name matches (the static file always).
if [ -n "${ONLY:-}" ]; then
  keep_names=() keep_paths=()
  for i in "${!NAMES[@]}"; do
    if [ "$i" = 0 ] || [[ "${NAMES[$i]}" =~ $ONLY ]]; then
      keep_names+=("${NAMES[$i]}") keep_paths+=("${PATHS[$i]}")
    fi
  done
  NAMES=("${keep_names[@]}") PATHS=("${keep_paths[@]}")
fi

for path in "${PATHS[@]}"; do  # every endpoint answers 200 (wrk would count a 3xx as fine)
  status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
  [ "$status" = 200 ] || { echo "$path answers $status" >&2; tail -20 "$SCRATCH/server.log" >&2; exit 1; }
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== wrk: ${DURATION}s per endpoint, $THREADS threads, $CONNECTIONS connections; gunicorn $WORKERS sync workers on $(nproc) cores"
echo "   load average before: $LOAD_BEFORE"
printf '%-16s %10s %8s %10s %10s %9s %14s\n' endpoint "req/s" "× static" p50 p99 non-2xx "socket errors"
FAILED=0
STATIC_RATE=
for i in "${!PATHS[@]}"; do
  url="$BASE${PATHS[$i]}"
  wrk -t1 -c"$WORKERS" -d3s "$url" >/dev/null  # warm every worker's caches
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "$url" >"$SCRATCH/wrk.txt"
  rate=$(awk '/^Requests\/sec/ { print $2 }' "$SCRATCH/wrk.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$SCRATCH/wrk.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$SCRATCH/wrk.txt")
  non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$SCRATCH/wrk.txt")
  sockets=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$SCRATCH/wrk.txt")
  non2xx=${non2xx:-0} sockets=${sockets:-0}
  STATIC_RATE=${STATIC_RATE:-$rate}
  ratio=$(awk -v r="$rate" -v s="$STATIC_RATE" 'BEGIN { printf "%.2f", r / s }')
  printf '%-16s %10s %8s %10s %10s %9s %14s\n' "${NAMES[$i]}" "$rate" "$ratio" "$p50" "$p99" "$non2xx" "$sockets"
  if [ "$non2xx" != 0 ] || [ "$sockets" != 0 ]; then FAILED=1; fi
done
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The server's log: gunicorn's own lines (INFO) and Django's warnings and errors.
LOG_ERRORS=$(grep -ciE 'error|traceback|exception|critical' "$SCRATCH/server.log" || true)
echo "server log: $LOG_ERRORS lines with an error or a traceback"
if [ "$LOG_ERRORS" != 0 ]; then
  grep -iE 'error|traceback|exception|critical' "$SCRATCH/server.log" | head -20
  FAILED=1
fi
if [ "$FAILED" != 0 ]; then echo "FAILED: errors above" >&2; exit 1; fi
echo "OK: every answer a 2xx, no socket error, no error in the log"

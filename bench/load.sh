#!/usr/bin/env bash
# Load benchmark (issue 15): the production set-up on one machine — gunicorn with several
# workers, DEBUG off, PostgreSQL and the Redis cache — serving the largest corpus list
# (awesome-go) plus a generated list of a few thousand entries, measured with wrk on every
# public endpoint a visitor or an integrator touches, and on a static file of the list page's
# size served by whitenoise from the same gunicorn, in the same run:
#
#   static file (the list page's HTML), cached list page, list document, search (a common, a
#   medium and a rare word), API entries (list-scoped), Atom feed, JSON feed, a tag page, home.
#
#   bash bench/load.sh                      # 60 s per endpoint
#   DURATION=10 bash bench/load.sh          # shorter
#   WORKERS=4 CONNECTIONS=32 GENERATED=10000 bash bench/load.sh
#   STRICT=1 bash bench/load.sh             # also fail when an endpoint misses its target
#   ONLY='list page|feed' bash bench/load.sh   # only the endpoints whose name matches (and the
#                                              # static file, always)
#
# Prints a Markdown table — endpoint, requests/s, p50, p99, the ratio of its requests/s to the
# static file's, non-2xx answers (socket errors added), and the target ratio with pass/fail:
# list page and list document >= 0.8x; feeds, tag page, home >= 0.5x; search and API entries
# >= 0.2x — and the load average before and after. Exits non-zero if any answer was not a 2xx,
# any socket error happened, or the server's log holds an error (with STRICT=1, also if an
# endpoint missed its target; a busy machine misses them, so that is not the default).
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
WARMUP=${WARMUP:-3}
STRICT=${STRICT:-0}
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
export DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver DJANGO_SECURE_SSL_REDIRECT=false
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

# The static file: the list page's own bytes, put where whitenoise finds it at start-up; and the
# endpoints' parameters: three words of different frequency in the list, the list's most used tag.
$PY manage.py shell -c "
from django.db.models import Count, Q
from django.test import Client
from catalog.models import Entry, TaggedEntry
page = Client().get('/lists/$SLUG/')
assert page.status_code == 200, page.status_code
open('$BENCH_WHITENOISE_ROOT/list-page.html', 'wb').write(page.content)
print(f'   list page: {len(page.content):,} bytes, also served as /list-page.html')
published = Entry.objects.published().filter(curated_list__slug='$SLUG')
for word in ('database', 'graphql', 'wordpress'):
    hits = published.filter(Q(title__icontains=word) | Q(description__icontains=word)).count()
    print(f'   search {word!r}: {hits} of {published.count()} entries hold it')
tags = TaggedEntry.objects.filter(content_object__in=Entry.objects.published())
top = tags.values('content_object__curated_list__slug', 'tag__slug').annotate(n=Count('pk')).order_by('-n', 'tag__slug').first()
open('$SCRATCH/tag', 'w').write(f\"{top['content_object__curated_list__slug']}/tags/{top['tag__slug']}\")
print(f'   tag page: {top[\"tag__slug\"]} of {top[\"content_object__curated_list__slug\"]}, {top[\"n\"]} entries')
"
TAG_PAGE=$(cat "$SCRATCH/tag")

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 30 --no-control-socket --log-level info >"$SCRATCH/server.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
# name | path | target ratio to the static file's requests/s (none for the static file)
ENDPOINTS=(
  "static file|/list-page.html|"
  "list page (cached)|/lists/$SLUG/|0.8"
  "list document|/api/lists/$SLUG/document/|0.8"
  "search common|/lists/$SLUG/search/?q=database|0.2"
  "search medium|/lists/$SLUG/search/?q=graphql|0.2"
  "search rare|/lists/$SLUG/search/?q=wordpress|0.2"
  "API entries|/api/entries/?list=$SLUG|0.2"
  "Atom feed|/lists/$SLUG/feed.atom|0.5"
  "JSON feed|/lists/$SLUG/feed.json|0.5"
  "tag page|/lists/$TAG_PAGE/|0.5"
  "home|/|0.5"
)

if [ -n "${ONLY:-}" ]; then
  kept=()
  for endpoint in "${ENDPOINTS[@]}"; do
    name=${endpoint%%|*}
    if [ "$name" = "static file" ] || [[ "$name" =~ $ONLY ]]; then kept+=("$endpoint"); fi
  done
  ENDPOINTS=("${kept[@]}")
fi

for endpoint in "${ENDPOINTS[@]}"; do  # every endpoint answers 200 (wrk would count a 3xx as fine)
  IFS='|' read -r name path target <<<"$endpoint"
  status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
  [ "$status" = 200 ] || { echo "$name: $path answers $status" >&2; tail -20 "$SCRATCH/server.log" >&2; exit 1; }
done
# The static file is the list page, byte for byte.
curl -fsS "$BASE/lists/$SLUG/" | cmp -s - "$BENCH_WHITENOISE_ROOT/list-page.html" || { echo "list page and static file differ" >&2; exit 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== wrk: ${DURATION}s per endpoint (after ${WARMUP}s of warm-up), $THREADS threads, $CONNECTIONS connections; gunicorn $WORKERS sync workers on $(nproc) cores"
echo "   load average before: $LOAD_BEFORE"
echo
echo "| endpoint | req/s | p50 | p99 | × static | non-2xx | target | |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
FAILED=0 MISSED=0 STATIC_RATE=
for endpoint in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name path target <<<"$endpoint"
  url="$BASE$path"
  wrk -t1 -c"$WORKERS" -d"${WARMUP}s" "$url" >/dev/null  # warm every worker's caches
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "$url" >"$SCRATCH/wrk.txt"
  rate=$(awk '/^Requests\/sec/ { print $2 }' "$SCRATCH/wrk.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$SCRATCH/wrk.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$SCRATCH/wrk.txt")
  non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$SCRATCH/wrk.txt")
  sockets=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$SCRATCH/wrk.txt")
  non2xx=${non2xx:-0} sockets=${sockets:-0}
  bad=$non2xx
  [ "$sockets" = 0 ] || bad="$non2xx (+$sockets socket errors)"
  if [ "$non2xx" != 0 ] || [ "$sockets" != 0 ]; then FAILED=1; fi
  if [ -z "$target" ]; then
    STATIC_RATE=$rate
    printf '| %s `%s` | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$path" "$rate" "$p50" "$p99" "1.00" "$bad" "—" "reference"
    continue
  fi
  read -r ratio verdict < <(awk -v r="$rate" -v s="$STATIC_RATE" -v t="$target" \
    'BEGIN { q = (s > 0 ? r / s : 0); printf "%.2f %s\n", q, (q >= t ? "pass" : "FAIL") }')
  [ "$verdict" = pass ] || MISSED=$((MISSED + 1))
  printf '| %s `%s` | %s | %s | %s | %s | %s | ≥ %s× | %s |\n' "$name" "$path" "$rate" "$p50" "$p99" "$ratio" "$bad" "$target" "$verdict"
done
echo
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg) (before: $LOAD_BEFORE; $(nproc) cores)"

# The server's log: gunicorn's own lines (INFO) and Django's warnings and errors.
LOG_ERRORS=$(grep -ciE 'error|traceback|exception|critical' "$SCRATCH/server.log" || true)
echo "server log: $LOG_ERRORS lines with an error or a traceback"
if [ "$LOG_ERRORS" != 0 ]; then
  grep -iE 'error|traceback|exception|critical' "$SCRATCH/server.log" | head -20
  FAILED=1
fi
echo "targets: $MISSED endpoint(s) below target"
if [ "$FAILED" != 0 ]; then echo "FAILED: errors above" >&2; exit 1; fi
if [ "$STRICT" != 0 ] && [ "$MISSED" != 0 ]; then echo "FAILED: $MISSED endpoint(s) below target (STRICT=1)" >&2; exit 1; fi
echo "OK: every answer a 2xx, no socket error, no error in the log"

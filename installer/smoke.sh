#!/usr/bin/env bash
# Smoke test of the frozen bundle: runs dist/counter-app/counter-app the way a user and the district
# IT admin do (shared/contract.md), in a throw-away home, and checks that it never writes into its own
# program folder.
#
#   installer/smoke.sh [BUNDLE_DIR]          # default: dist/counter-app (made by installer/build.sh)
#
# Needs: bash, coreutils, python3 (JSON checks, and the proof that python3's sqlite3 cannot read the
# encrypted store; never imports the app), .venv/bin/python (reads the encrypted store through the
# app's own key handling, from source; makes a store at an older schema; runs the district server for
# link + sync). Optional: pdftotext (reads the slip back), Xvfb and xdotool (cold start to a usable
# window, and a second copy on the same store). A step whose tool is missing prints a SKIP line saying why.
# Last line: "smoke: N passed, N failed, N skipped"; exit status 0 only when no step failed.
# "check && ok … || fail …" below is safe: ok() always succeeds.
# shellcheck disable=SC2015
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=installer/test-server.sh
source installer/test-server.sh  # start_test_server: the district server for link + sync
BUNDLE=$(cd "${1:-dist/counter-app}" 2>/dev/null && pwd) || { echo "FAIL - no bundle at ${1:-dist/counter-app}: run installer/build.sh first" >&2; exit 1; }
APP="$BUNDLE/counter-app"
PY=${PYTHON:-python3}
VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)
[ -x "$APP" ] || { echo "FAIL - $APP is not an executable" >&2; exit 1; }
command -v "$PY" >/dev/null || { echo "FAIL - $PY is needed for the JSON checks" >&2; exit 1; }

W=$(mktemp -d -t qmc-smoke.XXXXXX)
RO=""
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$W"
  if [ -n "${RO:-}" ] && [ -d "$RO" ]; then chmod -R u+w "$RO"; rm -rf "$RO"; fi
}
trap cleanup EXIT
# A throw-away user: settings, caches and the default data folder all land under $W.
export HOME=$W/home XDG_CONFIG_HOME=$W/config XDG_DATA_HOME=$W/share XDG_CACHE_HOME=$W/cache
mkdir -p "$HOME"
unset COUNTER_APP_DATA DISPLAY WAYLAND_DISPLAY
export QT_QPA_PLATFORM=offscreen
DATA=$W/data
MARK=QMC-SMOKE   # in the office name, so the window's title can be found under Xvfb

PASSED=0 SKIPPED=0 FAILED=0
MEASURES=()
ok()   { echo "ok   - $*"; PASSED=$((PASSED + 1)); }
skip() { echo "SKIP - $*"; SKIPPED=$((SKIPPED + 1)); }
fail() {
  echo "FAIL - $*"; FAILED=$((FAILED + 1))
  [ -s "$W/err" ] && sed 's/^/       stderr: /' "$W/err" | head -20
  return 0
}
measure() { echo "time - $*"; MEASURES+=("$*"); }
# store_sql STORE_FILE SQL: the first column of the first row. The store is SQLCipher under the key
# kept beside it (docs/protection.md): read with the app's own key handling, from source.
store_sql() {
  .venv/bin/python -c "import sys; from pathlib import Path; from counter_app.db.store import raw_connection
c = raw_connection(Path(sys.argv[1])); print(c.execute(sys.argv[2]).fetchone()[0])" "$1" "$2"
}
now_ms() { date +%s%3N; }
# run EXPECTED_RC CMD...: stdout in $W/out, stderr in $W/err, status in RC
run() {
  local want=$1; shift
  "$@" >"$W/out" 2>"$W/err"; RC=$?
  [ "$RC" -eq "$want" ]
}
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); print($1)" "$W/out"; }
snapshot() { (cd "$BUNDLE" && find . -printf '%p %s %T@ %m\n' | LC_ALL=C sort); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

echo "smoke: $APP (version $VERSION), work folder $W"
snapshot >"$W/program-before"

# --- 1. --version, and the cold start of the bare executable ------------------------------------
t0=$(now_ms); run 0 "$APP" --version; t1=$(now_ms)
if [ "$RC" -eq 0 ] && grep -qx "Quầy Một Cửa $VERSION" "$W/out"; then
  ok "--version prints 'Quầy Một Cửa $VERSION'"
else
  fail "--version (exit $RC): $(head -c 200 "$W/out")"
fi
first=$((t1 - t0)); runs=""
for _ in 1 2 3 4 5; do t0=$(now_ms); "$APP" --version >/dev/null 2>&1; t1=$(now_ms); runs="$runs $((t1 - t0))"; done
measure "--version: first run $first ms, then median $(echo "$runs" | median) ms (runs:$runs)"

run 0 "$APP" --help && grep -q "intake" "$W/out" && ok "--help lists the commands" || fail "--help (exit $RC)"

# --- 2. init, in a data folder and in the default one -------------------------------------------
if run 0 "$APP" --data-dir "$DATA" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" \
     --office-name "Bộ phận một cửa $MARK" --place "Bình Mỹ" --counter 1 \
   && [ "$(json 'd["created"]')" = "True" ]; then
  ok "init creates the store in --data-dir"
else
  fail "init (exit $RC)"
fi
run 0 "$APP" --data-dir "$DATA" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" \
  && [ "$(json 'd["created"]')" = "False" ] && ok "init on an existing store changes nothing" || fail "second init (exit $RC)"
[ -f "$DATA/counter.sqlite3" ] || fail "no $DATA/counter.sqlite3 after init"
HEAD_REV=$(store_sql "$DATA/counter.sqlite3" 'select version_num from alembic_version' 2>/dev/null)
if ! "$PY" -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('select * from dossier')" "$DATA/counter.sqlite3" 2>"$W/err" \
   && grep -q "file is not a database" "$W/err" && [ -n "$HEAD_REV" ]; then
  ok "the store is encrypted (python3's sqlite3: 'file is not a database'); its key opens it (schema $HEAD_REV)"
else
  fail "the store is not encrypted, or its key does not open it (schema '$HEAD_REV')"
fi

if run 0 "$APP" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" \
   && [ -f "$XDG_DATA_HOME/QuayMotCua/counter.sqlite3" ]; then
  ok "without --data-dir the store goes to the user's data folder (\$XDG_DATA_HOME/QuayMotCua)"
else
  fail "init without --data-dir (exit $RC); looked for $XDG_DATA_HOME/QuayMotCua/counter.sqlite3"
fi
if COUNTER_APP_DATA=$DATA run 0 "$APP" catalogue list; then ok "COUNTER_APP_DATA selects the store"; else fail "COUNTER_APP_DATA (exit $RC)"; fi

# --- 3. catalogue, calendar, intake, show --------------------------------------------------------
PROC=""
if run 0 "$APP" --data-dir "$DATA" catalogue list && [ "$(json 'len(d)')" -gt 0 ]; then
  PROC=$(json '"2.000815" if any(p["code"] == "2.000815" for p in d) else d[0]["code"]')
  ok "catalogue list: $(json 'len(d)') procedures from the bundled catalogue"
else
  fail "catalogue list (exit $RC)"
fi
run 0 "$APP" --data-dir "$DATA" calendar show 2026 && [ -s "$W/out" ] \
  && ok "calendar show 2026 (bundled holiday tables)" || fail "calendar show 2026 (exit $RC)"

cat >"$W/dossier.json" <<EOF
{"procedure_code": "${PROC:-2.000815}",
 "applicant": {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "birth_date": "1990-01-01",
               "gender": "Nam", "address": "Thôn Đông, xã Bình Mỹ", "phone": "0912345678", "email": ""},
 "channel": 1, "sets": 1, "received_at": "2026-02-13T10:00:00+07:00", "note": "smoke"}
EOF
CODE=""
if run 0 "$APP" --data-dir "$DATA" intake --json "$W/dossier.json"; then
  CODE=$(json 'd["code"]')
  ok "intake --json: dossier $CODE, due $(json 'd["due_at"]')"
else
  fail "intake --json (exit $RC)"
fi
if [ -n "$CODE" ]; then
  run 0 "$APP" --data-dir "$DATA" show "$CODE" && [ "$(json 'd["code"]')" = "$CODE" ] \
    && [ "$(json 'd["applicant"]["full_name"]')" = "Nguyễn Văn Đức" ] \
    && ok "show $CODE" || fail "show $CODE (exit $RC)"
fi
if run 2 "$APP" --data-dir "$DATA" show 000.00.20.H12-260213-9999 && [ "$(wc -l <"$W/err")" -le 1 ]; then
  ok "show of an unknown code: exit 2, one line: $(cat "$W/err")"
else
  fail "show of an unknown code: exit $RC (want 2 and one line on stderr)"
fi

# --- 4. papers: slip and report ------------------------------------------------------------------
if ! "$APP" slip --help >/dev/null 2>&1; then
  skip "slip: 'counter-app slip --help' fails in this build (command not wired yet)"
elif [ -z "$CODE" ]; then
  skip "slip: no dossier (intake failed)"
elif run 0 "$APP" --data-dir "$DATA" slip "$CODE" -o "$W/x.pdf" && [ "$(head -c 4 "$W/x.pdf")" = "%PDF" ]; then
  if command -v pdftotext >/dev/null; then
    pdftotext "$W/x.pdf" "$W/x.txt" 2>/dev/null
    if grep -q "Nguyễn Văn Đức" "$W/x.txt"; then
      ok "slip $CODE -o x.pdf ($(stat -c %s "$W/x.pdf") B; Vietnamese text reads back with the bundled font)"
    else
      fail "slip: the PDF does not read back 'Nguyễn Văn Đức'"
    fi
  else
    ok "slip $CODE -o x.pdf ($(stat -c %s "$W/x.pdf") B; pdftotext missing, text not read back)"
  fi
else
  fail "slip $CODE -o x.pdf (exit $RC)"
fi
if ! "$APP" report --help >/dev/null 2>&1; then
  skip "report: not in this build"
else
  run 0 "$APP" --data-dir "$DATA" report --from 2026-01-01 --to 2026-12-31 -o "$W/r.xlsx" \
    && [ "$(head -c 2 "$W/r.xlsx")" = "PK" ] && ok "report -o r.xlsx (openpyxl)" || fail "report -o r.xlsx (exit $RC)"
  run 0 "$APP" --data-dir "$DATA" report --from 2026-01-01 --to 2026-12-31 -o "$W/r.pdf" \
    && [ "$(head -c 4 "$W/r.pdf")" = "%PDF" ] && ok "report -o r.pdf (reportlab + pypdf)" || fail "report -o r.pdf (exit $RC)"
fi
if echo "mat-khau-thu-9" | run 0 "$APP" --data-dir "$DATA" user add canbo1 --full-name "Trần Thị Bình" --password-stdin; then
  ok "user add (argon2 password hash)"
else
  fail "user add (exit $RC)"
fi
if echo "cụm mật khẩu của xã Bình Mỹ" | run 0 "$APP" --data-dir "$DATA" recovery set --passphrase-stdin \
   && run 0 "$APP" --data-dir "$DATA" backup -o "$W/backup.qmcbak" && [ -s "$W/backup.qmcbak" ] \
   && ! grep -aq "Trần Thị Bình" "$W/backup.qmcbak"; then
  ok "backup -o backup.qmcbak (sealed with the office passphrase: no name readable in it)"
else
  fail "backup (exit $RC)"
fi
if echo "cụm mật khẩu sai" | run 2 "$APP" --data-dir "$W/other-pc" restore "$W/backup.qmcbak" --passphrase-stdin \
   && grep -q "không đúng" "$W/err" && [ ! -e "$W/other-pc" ] \
   && echo "cụm mật khẩu của xã Bình Mỹ" | run 0 "$APP" --data-dir "$W/other-pc" restore "$W/backup.qmcbak" --passphrase-stdin \
   && [ "$(json 'd["agency_code"]')" = "000.00.20.H12" ]; then
  ok "restore on another PC: a wrong passphrase refused with nothing made, the right one restores"
else
  fail "restore on another PC (exit $RC)"
fi

# --- 5. the district server: unreachable, then a real one run from source ------------------------
mkdir -p "$W/offline"
"$APP" --data-dir "$W/offline" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" >/dev/null 2>&1
if run 3 "$APP" --data-dir "$W/offline" link --server https://127.0.0.1:9 --token khong-co; then
  ok "link to an unreachable server: exit 3, $(cat "$W/err")"
else
  fail "link to an unreachable server: exit $RC (want 3)"
fi
if [ -x .venv/bin/python ] && .venv/bin/python -c "import district_server, uvicorn" 2>/dev/null; then
  if start_test_server .venv/bin/python; then
    # its own store: the window below must not find a link to a server that is gone by then
    "$APP" --data-dir "$W/synced" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" --counter 1 >/dev/null 2>&1
    "$APP" --data-dir "$W/synced" intake --json "$W/dossier.json" >/dev/null 2>&1
    if sync_with_test_server run "$W/synced"; then
      ok "link (pinned HTTPS) + sync --once against a district server (from source): $(tr -d '\n ' <"$W/out")"
    else
      fail "link + sync --once against the district server (exit $RC; server up: $up)"
    fi
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
  else
    skip "sync: the district server (from source) could not add a device ($(tail -1 "$W/err"))"
  fi
else
  skip "sync against a server: needs .venv/bin/python with district_server and uvicorn"
fi

# --- 6. stores from other versions ---------------------------------------------------------------
# Older: a store left at the first schema by the real migrations (run from source), opened by the
# frozen app: it must back it up first, then migrate with the alembic scripts shipped as data.
if [ -x .venv/bin/python ] && .venv/bin/python -c "import counter_app.db.store" 2>/dev/null; then
  mkdir -p "$W/older"
  if .venv/bin/python - "$W/older/counter.sqlite3" >"$W/err" 2>&1 <<'EOF'
import sys
from pathlib import Path
from counter_app.db.store import KNOWN_REVISIONS, Store
store = Store(Path(sys.argv[1]), key=None)  # clear, as versions before encryption left it
store.migrate(KNOWN_REVISIONS[0])
store.close()
EOF
  then
    old_rev=$("$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$W/older/counter.sqlite3")
    if run 0 "$APP" --data-dir "$W/older" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ"; then
      new_rev=$(store_sql "$W/older/counter.sqlite3" 'select version_num from alembic_version')
      backup=$(find "$W/older/backups" -name "truoc-nang-cap-$old_rev-*.sqlite3" 2>/dev/null | head -1)
      if [ -n "$backup" ] && [ "$new_rev" = "$HEAD_REV" ] && grep -q "Mã khôi phục\|mã khôi phục" "$W/err"; then
        ok "older clear store (schema $old_rev) encrypted and migrated to $new_rev with a backup first ($(basename "$backup")), its recovery code shown"
      else
        fail "older store: schema now '$new_rev' (want $HEAD_REV), backup '${backup:-none}'"
      fi
    else
      fail "older store (schema $old_rev): init exit $RC"
    fi
  else
    skip "older store: could not make one from source ($(tail -1 "$W/err"))"
  fi
else
  skip "older store: needs .venv/bin/python with the app installed, to make a store at an older schema"
fi

# Newer: a copy of the store claiming a schema this build does not know. Refused, exit 2, one
# clear line, and nothing in it changed.
mkdir -p "$W/newer"
cp "$DATA"/counter.keys.json "$DATA"/counter.key "$W/newer/"   # a copy of the store with its key
.venv/bin/python -c "import sys; from pathlib import Path; from counter_app.db.store import Store
Store.open(Path(sys.argv[1])).backup_to(Path(sys.argv[2]))" "$DATA" "$W/newer/counter.sqlite3" >/dev/null 2>&1
sqlite_dump() {
  .venv/bin/python -c "import hashlib,sys; from pathlib import Path; from sqlite3.dump import _iterdump
from counter_app.db.store import raw_connection
c = raw_connection(Path(sys.argv[1]), readonly=True); print(hashlib.sha256('\n'.join(_iterdump(c)).encode()).hexdigest())" "$1"
}
if .venv/bin/python -c "import sys; from pathlib import Path; from counter_app.db.store import raw_connection
c = raw_connection(Path(sys.argv[1])); c.execute(\"update alembic_version set version_num='9999'\"); c.commit()" "$W/newer/counter.sqlite3" 2>"$W/err"; then
  dump_before=$(sqlite_dump "$W/newer/counter.sqlite3"); bytes_before=$(sha256sum <"$W/newer/counter.sqlite3")
  if run 2 "$APP" --data-dir "$W/newer" show "${CODE:-x}" && grep -q "mới hơn" "$W/err"; then
    dump_after=$(sqlite_dump "$W/newer/counter.sqlite3"); bytes_after=$(sha256sum <"$W/newer/counter.sqlite3")
    if [ "$dump_before" = "$dump_after" ] && [ ! -e "$W/newer/backups" ]; then
      ok "newer store refused (exit 2: $(cat "$W/err")); its content is unchanged"
      [ "$bytes_before" = "$bytes_after" ] \
        || echo "note - newer store: same content, but the file's bytes changed (the connection set journal_mode=WAL before the version check)"
    else
      fail "newer store: refused, but its content changed or a backup was made"
    fi
  else
    fail "newer store: exit $RC (want 2 and a 'phiên bản mới hơn' message)"
  fi
else
  fail "newer store: could not prepare the copy"
fi

# --- 7. the window, offscreen ----------------------------------------------------------------------
log_errors() { cat "$DATA"/logs/*.log 2>/dev/null | grep -c -E " (ERROR|CRITICAL) " ; }
errors_before=$(log_errors)
t0=$(now_ms)
QT_QPA_PLATFORM=offscreen timeout 8 "$APP" --data-dir "$DATA" >"$W/out" 2>"$W/err"; RC=$?
if [ "$RC" -eq 124 ] && ! grep -q -E "Traceback|Lỗi|Error:" "$W/err" && [ "$(log_errors)" = "$errors_before" ]; then
  ok "window (offscreen) stayed up 8 s with no traceback and no error in the log, then was stopped"
else
  fail "window (offscreen): exit $RC after $(( $(now_ms) - t0 )) ms (want 124: still up when stopped); new log errors: $(( $(log_errors) - errors_before ))"
fi

# --- 8. under Xvfb: cold start to a usable window, and a second copy -----------------------------
XV=""
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
  # -noreset: without a window manager every window closing is the last client leaving, and a
  # resetting server refuses the next connection for a moment ("could not connect to display").
  Xvfb -displayfd 9 -screen 0 1366x768x24 -nolisten tcp -noreset 9>"$W/display" >"$W/xvfb.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do [ -s "$W/display" ] && break; sleep 0.05; done
  [ -s "$W/display" ] && XV=":$(head -1 "$W/display")"
fi
# wait_window PATTERN TIMEOUT_MS: the first visible window whose title matches, in $WIN
wait_window() {
  local deadline=$(( $(now_ms) + $2 )); WIN=""
  while [ "$(now_ms)" -lt "$deadline" ]; do
    WIN=$(DISPLAY=$XV xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1)
    [ -n "$WIN" ] && return 0
    sleep 0.02
  done
  return 1
}
if [ -z "$XV" ] && command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
  skip "window under X: Xvfb did not start ($(head -c 200 "$W/xvfb.log"))"
elif [ -z "$XV" ]; then
  skip "window under X (cold start to usable window, second copy): needs Xvfb and xdotool (apt: xvfb xdotool libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0)"
else
  times="" xcb_ok=1
  for _ in 1 2 3; do
    t0=$(now_ms)
    DISPLAY=$XV QT_QPA_PLATFORM=xcb "$APP" --data-dir "$DATA" >"$W/out" 2>"$W/err" &
    pid=$!; PIDS+=("$pid")
    if wait_window "$MARK" 15000; then
      times="$times $(( $(now_ms) - t0 ))"
    elif grep -q "platform plugin" "$W/err"; then
      xcb_ok=0
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  if [ "$xcb_ok" -eq 0 ]; then
    skip "window under X: Qt's xcb plugin did not load ($(grep -m1 -i "xcb" "$W/err")); apt: libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0"
  elif [ -z "$times" ]; then
    fail "window under X: no window titled '…$MARK…' within 15 s"
  else
    med=$(echo "$times" | median)
    measure "cold start to a usable window (process start to the main window showing its office, store open): median $med ms (runs:$times)"
    # A figure, not a verdict: a shared CI machine's start-up time says nothing about a commune PC's
    # (the goal, under 3 s, is tracked in bench/ and the closing notes).

    # A second copy on the same store: the first keeps the store, the second says so and leaves.
    DISPLAY=$XV QT_QPA_PLATFORM=xcb "$APP" --data-dir "$DATA" >/dev/null 2>"$W/err1" &
    first=$!; PIDS+=("$first")
    if wait_window "$MARK" 15000; then
      DISPLAY=$XV QT_QPA_PLATFORM=xcb "$APP" --data-dir "$DATA" >/dev/null 2>"$W/err" &
      second=$!; PIDS+=("$second")
      deadline=$(( $(now_ms) + 10000 )); box=""
      while [ "$(now_ms)" -lt "$deadline" ] && [ -z "$box" ]; do
        box=$(DISPLAY=$XV xdotool search --onlyvisible --pid "$second" 2>/dev/null | head -1); sleep 0.05
      done
      mains=$(DISPLAY=$XV xdotool search --onlyvisible --name "$MARK" 2>/dev/null | wc -l)
      if [ -n "$box" ]; then
        title=$(DISPLAY=$XV xdotool getwindowname "$box" 2>/dev/null)
        DISPLAY=$XV xdotool key --window "$box" Return >/dev/null 2>&1
      fi
      for _ in $(seq 1 100); do kill -0 "$second" 2>/dev/null || break; sleep 0.05; done
      if kill -0 "$second" 2>/dev/null; then
        fail "second copy: still running 5 s after its message was answered"
        kill "$second" 2>/dev/null
      else
        wait "$second"; rc2=$?
        if [ -n "$box" ] && [ "${title:-}" = "Quầy Một Cửa" ] && [ "$mains" -eq 1 ] && [ "$rc2" -ne 0 ] && kill -0 "$first" 2>/dev/null; then
          ok "second copy on the same store: shows its 'already open' message, opens no window of its own, exits $rc2; the first keeps running"
        else
          fail "second copy: message window '${title:-none}', main windows $mains, exit $rc2"
        fi
      fi
    else
      alive=no; kill -0 "$first" 2>/dev/null && alive=yes
      cp "$W/err1" "$W/err"
      fail "second copy: the first window did not come up within 15 s (process still running: $alive)"
    fi
    kill "$first" 2>/dev/null; wait "$first" 2>/dev/null
  fi
fi

# --- 9. a read-only program folder, run by an ordinary user --------------------------------------
# Root writes through any permission, so this needs root to make a second user run a read-only copy.
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null && id nobody >/dev/null 2>&1; then
  RO=$(mktemp -d -t qmc-readonly.XXXXXX)
  chmod 755 "$RO"
  cp -a "$BUNDLE" "$RO/counter-app" && chmod -R a-w "$RO/counter-app"
  mkdir "$RO/home" && chown nobody "$RO/home"
  as_nobody() {
    runuser -u nobody -- env -u COUNTER_APP_DATA HOME="$RO/home" XDG_CONFIG_HOME="$RO/home/.config" \
      XDG_DATA_HOME="$RO/home/.local/share" XDG_CACHE_HOME="$RO/home/.cache" QT_QPA_PLATFORM=offscreen "$@"
  }
  RO_APP="$RO/counter-app/counter-app"
  if as_nobody "$RO_APP" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" >"$W/out" 2>"$W/err" \
     && as_nobody "$RO_APP" intake --json /dev/stdin <"$W/dossier.json" >"$W/out" 2>"$W/err" \
     && code=$(json 'd["code"]') \
     && as_nobody "$RO_APP" slip "$code" -o "$RO/home/x.pdf" >/dev/null 2>"$W/err" \
     && [ -f "$RO/home/.local/share/QuayMotCua/counter.sqlite3" ]; then
    as_nobody timeout 6 "$RO_APP" >/dev/null 2>"$W/err"; RC=$?
    if [ "$RC" -eq 124 ] && ! grep -q -E "Traceback|Lỗi" "$W/err"; then
      ok "read-only program folder, run as an ordinary user: init, intake, slip and the window (store in that user's data folder)"
    else
      fail "read-only program folder: the window exited $RC"
    fi
  else
    fail "read-only program folder, run as an ordinary user"
  fi
  chmod -R u+w "$RO" && rm -rf "$RO"
else
  skip "read-only program folder as another user: needs root, runuser and the 'nobody' user (checked below only as: nothing written)"
fi

# --- 10. the program folder is read-only to the app ------------------------------------------------
snapshot >"$W/program-after"
if diff -q "$W/program-before" "$W/program-after" >/dev/null; then
  ok "nothing was written into the program folder $BUNDLE"
else
  fail "the app wrote into its program folder:"; diff "$W/program-before" "$W/program-after" | head -20
fi

for m in "${MEASURES[@]}"; do echo "measured: $m"; done
echo "smoke: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]

#!/usr/bin/env bash
# The Windows installer, used as an officer and the district IT admin use it, under Wine 8 + Xvfb:
# the seven checks of issue 13. Run after installer/windows/build-wine.sh (same prefix):
#
#   installer/windows/ci-wine.sh
#
# [1] silent default per-user install   [2] the installed counter-app.exe's smoke path
# [3] the window and a keyboard intake  [4] printing through Wine's spooler to a CUPS PDF queue
# [5] upgrade N -> N+1 over live data   [6] uninstall keeps the store, a reinstall finds it
# [7] a second start is refused while the window is open
#
# Every check prints "ok   - [n] …" or "FAIL - [n] …"; the last line counts them; the exit status
# is non-zero when any check failed. Screenshots go to dist/windows/artifacts/ (git-ignored).
# The Windows user is "Nguyễn Thị An" (wine-env.sh): every path below has Vietnamese letters in it.
# shellcheck disable=SC2015  # "check && ok … || fail …": ok() always succeeds
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=installer/windows/wine-env.sh
source installer/windows/wine-env.sh
# shellcheck source=installer/test-server.sh
source installer/test-server.sh  # start_test_server: the district server for link + sync
VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)
BUNDLE=$ROOT/dist/windows/counter-app
SETUP=$ROOT/dist/windows/QuayMotCua-$VERSION-setup.exe
ART=$ROOT/dist/windows/artifacts
HOST_PY=$ROOT/.venv/bin/python
PRINTER=QMC-WINE-PDF
MARK=QMC-WINE   # in the office name, so the window's title can be found
started=$(date +%s)

for need in "$SETUP" "$BUNDLE/counter-app.exe" "$HOST_PY" "$WIN_PYTHON"; do
  [ -e "$need" ] || { echo "FAIL - $need is missing: run installer/windows/build-wine.sh first" >&2; exit 1; }
done
# Test tools (Debian): the window manager, screenshots, the CUPS PDF queue, PDF reading.
DEBS=(xvfb xdotool openbox imagemagick cups cups-client printer-driver-cups-pdf poppler-utils)
missing=()
for deb in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}\n' "$deb" 2>/dev/null | grep -c "install ok installed" >/dev/null || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "FAIL - missing Debian packages: ${missing[*]}" >&2; exit 1; }
  echo "ci-wine: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

W=$(mktemp -d -t qmc-wine.XXXXXX)
PIDS=()
cleanup() {
  wineserver -k 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$W"
  rm -f "$WINEPREFIX/dosdevices/e:"
}
trap cleanup EXIT
mkdir -p "$ART"
rm -f "$ART"/*.png

PASSED=0 FAILED=0
ok()   { echo "ok   - $*"; PASSED=$((PASSED + 1)); }
fail() {
  echo "FAIL - $*"; FAILED=$((FAILED + 1))
  [ -s "$W/err" ] && sed 's/^/       stderr: /' "$W/err" | head -15
  return 0
}
info() { echo "       $*"; }
now_ms() { date +%s%3N; }
# wrun EXPECTED_RC PROGRAM ARGS...: a Windows program; stdout in $W/out, stderr in $W/err, status in RC
wrun() {
  local want=$1; shift
  "$HOST_PY" installer/windows/winrun.py "$W/out" "$W/err" ${STDIN:+--stdin "$STDIN"} -- wine "$@"; RC=$?
  [ "$RC" -eq "$want" ]
}
json() { "$HOST_PY" -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); print($1)" "$W/out"; }
# Windows paths of files in the prefix (C:\users\Nguyễn Thị An\…)
cpath() { local rel=${1#"$WINEPREFIX/drive_c/"}; printf 'C:\\%s' "${rel//\//\\}"; }

PROGRAM=$WIN_LOCALAPPDATA/Programs/QuayMotCua
DATA=$WIN_LOCALAPPDATA/QuayMotCua
STARTMENU=$WIN_USER_DIR/AppData/Roaming/Microsoft/Windows/Start\ Menu/Programs
DESKTOP=$WIN_USER_DIR/Desktop
DOCS=$WIN_USER_DIR/Documents
APP=$PROGRAM/counter-app.exe
GUI=$PROGRAM/QuayMotCua.exe
APP_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\QuayMotCua'
PREFS_KEY='HKCU\Software\QuayMotCua\counter-app'
LNK_APP="Quầy Một Cửa.lnk"
LNK_CLI="Dòng lệnh Quầy Một Cửa (quản trị).lnk"

echo "ci-wine: $SETUP ($(( $(stat -c %s "$SETUP") / 1048576 )) MB), prefix $WINEPREFIX, user $USER"
ensure_prefix || { echo "FAIL - the Wine prefix"; exit 1; }
# A clean user: no earlier install, store or preferences (a re-run on the same machine).
wineserver -k 2>/dev/null
rm -rf "$PROGRAM" "$DATA" "$DOCS"/* "$STARTMENU/$LNK_APP" "$STARTMENU/$LNK_CLI" "$DESKTOP/$LNK_APP"
wine reg delete "$APP_KEY" /f >/dev/null 2>&1
wine reg delete 'HKCU\Software\QuayMotCua' /f >/dev/null 2>&1
mkdir -p "$DOCS"

# The display: Xvfb and a window manager (keyboard focus follows activation, as on Windows).
Xvfb -displayfd 9 -screen 0 1366x768x24 -nolisten tcp -noreset 9>"$W/display" >"$W/xvfb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$W/display" ] && break; sleep 0.05; done
export DISPLAY=":$(head -1 "$W/display")"
openbox >/dev/null 2>&1 &
PIDS+=($!)
shot() { import -window root "$ART/$1.png" 2>/dev/null && info "screenshot: $ART/$1.png"; }
gui_start() {  # gui_start NAME: QuayMotCua.exe in the background, its exit status into $W/NAME.rc
  ( true | wine "$GUI" 2>&1 | cat >"$W/$1.log"; echo "${PIPESTATUS[1]}" >"$W/$1.rc" ) &
}
# wait_window PATTERN TIMEOUT_S: the first visible window whose title matches, in $WIN
wait_window() {
  local deadline=$(( $(date +%s) + $2 )); WIN=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    WIN=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1)
    [ -n "$WIN" ] && return 0
    sleep 0.2
  done
  return 1
}
# type_keys TEXT: as the keyboard sends it, into the window that has the focus
type_keys() { xdotool type --delay 60 "$1"; sleep 0.2; }
press() { xdotool key --delay 80 "$@"; sleep 0.3; }
# keyboard_intake NAME ID QUERY: F2, the applicant's fields in the form's tab order, the procedure
keyboard_intake() {
  press F2; sleep 0.5
  type_keys "$1"; press Tab
  type_keys "$2"; press Tab
  type_keys "1/1/1990"; press Tab
  press n Tab
  type_keys "Thon Dong, xa Binh My"; press Tab
  type_keys "0912345678"; press Tab Tab
  type_keys "$3"; sleep 2.5   # the picker searches off the UI thread
  press Return; sleep 1
}

# The printer: a CUPS queue writing PDFs (cups-pdf), which Wine's spooler lists as a Windows printer.
ensure_cups() {  # the scheduler may have been stopped by a package's install since the last look
  if ! lpstat -r 2>/dev/null | grep -c "is running" >/dev/null; then
    /usr/sbin/cupsd 2>/dev/null || service cups start >/dev/null 2>&1
    for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -c "is running" >/dev/null && break; sleep 0.2; done
  fi
}
ensure_cups
if ! lpstat -p "$PRINTER" >/dev/null 2>&1; then
  ppd=$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF_(no)?opt\.ppd/ {print $1; exit}')
  lpadmin -p "$PRINTER" -E -v cups-pdf:/ -m "${ppd:-raw}" 2>"$W/lpadmin.err" || cat "$W/lpadmin.err"
fi
# cups-pdf writes into the job owner's ~/PDF (/etc/cups/cups-pdf.conf: Out ${HOME}/PDF)
PDF_OUT=$(getent passwd "$(id -un)" | cut -d: -f6)/PDF

# --- [1] silent default per-user install ------------------------------------------------------------
# First the wizard as an officer sees it (screenshots of its Vietnamese pages), then cancelled.
( true | wine "$SETUP" 2>&1 | cat >"$W/wizard.log" ) &
if wait_window "Quầy Một Cửa" 40; then
  sleep 1.5; shot installer-wizard-welcome
  xdotool windowactivate --sync "$WIN" 2>/dev/null; press Return; sleep 1.5; shot installer-wizard-folder
  press Escape; sleep 1; press Return; sleep 1
  info "the installer's wizard: window '$(xdotool getwindowname "$WIN" 2>/dev/null || echo closed)'"
else
  info "the installer's wizard did not show within 40 s (no screenshot)"
fi
wineserver -k 2>/dev/null; wineserver -w 2>/dev/null
[ -e "$PROGRAM" ] && { fail "[1] the cancelled wizard left $PROGRAM behind"; rm -rf "$PROGRAM"; }
t0=$(now_ms)
if wrun 0 "$SETUP" /S; then
  info "setup.exe /S: $(( $(now_ms) - t0 )) ms"
  missing=()
  for f in "$APP" "$GUI" "$PROGRAM/uninstall.exe" "$PROGRAM/_internal" "$STARTMENU/$LNK_APP" "$STARTMENU/$LNK_CLI" \
           "$DESKTOP/$LNK_APP"; do
    [ -e "$f" ] || missing+=("$f")
  done
  target_ok=1
  for lnk in "$STARTMENU/$LNK_APP" "$DESKTOP/$LNK_APP"; do
    strings -e l "$lnk" 2>/dev/null | grep -c 'QuayMotCua\\QuayMotCua.exe' >/dev/null || target_ok=0
  done
  wine reg query "$APP_KEY" /v DisplayVersion 2>/dev/null | tr -d '\r' | grep -c "REG_SZ *$VERSION$" >/dev/null && reg_ok=1 || reg_ok=0
  if [ "${#missing[@]}" -eq 0 ] && [ "$target_ok" -eq 1 ] && [ "$reg_ok" -eq 1 ]; then
    ok "[1] silent per-user install (no admin): $(cpath "$PROGRAM") with counter-app.exe, QuayMotCua.exe, uninstall.exe; Start menu '$LNK_APP' and '$LNK_CLI', desktop '$LNK_APP' -> QuayMotCua.exe; Settings > Apps entry (HKCU) version $VERSION"
  else
    fail "[1] install: missing ${missing[*]:-nothing}; shortcut targets ok: $target_ok; uninstall key version ok: $reg_ok"
  fi
else
  fail "[1] setup.exe /S exited $RC"
fi
[ -x "$APP" ] || { echo "FAIL - nothing installed: the other checks cannot run"; exit 1; }

# --- [2] the installed counter-app.exe: the scripted interface's smoke path ---------------------------
if wrun 0 "$APP" --version && [ "$(tr -d '\r' <"$W/out")" = "Quầy Một Cửa $VERSION" ]; then
  ok "[2] --version prints 'Quầy Một Cửa $VERSION' (UTF-8 through the pipe, not the ANSI code page)"
else
  fail "[2] --version (exit $RC): $(head -c 100 "$W/out")"
fi
if wrun 0 "$APP" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" --office-name "Bộ phận một cửa $MARK" \
     --place "Bình Mỹ" --counter 1 && [ "$(json 'd["created"]')" = "True" ] \
   && [ "$(json 'd["data_dir"]')" = "$(cpath "$DATA")" ] && [ -f "$DATA/counter.sqlite3" ]; then
  ok "[2] init: the store is in the user's folder $(json 'd["data_dir"]') (Vietnamese letters in the profile path)"
else
  fail "[2] init (exit $RC): $(head -c 300 "$W/out")"
fi
PROC=""
if wrun 0 "$APP" catalogue list && [ "$(json 'len(d)')" -gt 0 ]; then
  PROC=$(json '"2.000815" if any(p["code"] == "2.000815" for p in d) else d[0]["code"]')
  ok "[2] catalogue list: $(json 'len(d)') procedures, e.g. $(json 'd[0]["name"]')"
else
  fail "[2] catalogue list (exit $RC)"
fi
cat >"$DOCS/hồ sơ Đức.json" <<EOF
{"procedure_code": "${PROC:-2.000815}",
 "applicant": {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "birth_date": "1990-01-01",
               "gender": "Nam", "address": "Thôn Đông, xã Bình Mỹ", "phone": "0912345678", "email": ""},
 "channel": 1, "sets": 1, "note": "ci-wine"}
EOF
CODE=""
if wrun 0 "$APP" intake --json "$(cpath "$DOCS/hồ sơ Đức.json")"; then
  CODE=$(json 'd["code"]')
  ok "[2] intake --json 'C:\\…\\Documents\\hồ sơ Đức.json': dossier $CODE, due $(json 'd["due_at"]')"
else
  fail "[2] intake --json (exit $RC)"
fi
sed 's/Nguyễn Văn Đức/Lê Thị Hồng Ánh/; s/001090123456/001190654321/' "$DOCS/hồ sơ Đức.json" >"$W/anh.json"
CODE2=""
if STDIN=$W/anh.json wrun 0 "$APP" intake --json - && CODE2=$(json 'd["code"]') \
   && wrun 0 "$APP" show "$CODE2" && [ "$(json 'd["applicant"]["full_name"]')" = "Lê Thị Hồng Ánh" ]; then
  ok "[2] intake --json - (UTF-8 JSON on stdin): $CODE2 reads back 'Lê Thị Hồng Ánh'"
else
  fail "[2] intake from stdin (exit $RC): $(head -c 300 "$W/out")"
fi
if [ -n "$CODE" ] && wrun 0 "$APP" show "$CODE" && [ "$(json 'd["applicant"]["full_name"]')" = "Nguyễn Văn Đức" ] \
   && [ "$(json 'd["applicant"]["address"]')" = "Thôn Đông, xã Bình Mỹ" ]; then
  ok "[2] show $CODE: 'Nguyễn Văn Đức', 'Thôn Đông, xã Bình Mỹ' intact"
else
  fail "[2] show $CODE (exit $RC)"
fi
if wrun 2 "$APP" show 000.00.20.H12-260213-9999 && [ "$(wc -l <"$W/err")" -le 1 ] \
   && iconv -f UTF-8 -t UTF-8 "$W/err" >/dev/null 2>&1 && grep -q "Không tìm thấy hồ sơ" "$W/err"; then
  ok "[2] show of an unknown code: exit 2, one Vietnamese line: $(cat "$W/err")"
else
  fail "[2] show of an unknown code: exit $RC (want 2 and one line)"
fi
SLIP="$DOCS/giấy hẹn.pdf"
if [ -n "$CODE" ] && wrun 0 "$APP" slip "$CODE" -o "$(cpath "$SLIP")" && [ "$(head -c 4 "$SLIP")" = "%PDF" ]; then
  text_ok=0; pdftotext "$SLIP" - 2>/dev/null | grep -c "Nguyễn Văn Đức" >/dev/null && text_ok=1
  pdftoppm -r 300 -f 1 -l 1 -png "$SLIP" "$W/slip" 2>/dev/null
  codes=$("$HOST_PY" -c "import sys, zxingcpp; from PIL import Image; print(' '.join(r.text for r in zxingcpp.read_barcodes(Image.open(sys.argv[1]))))" "$W/slip-1.png" 2>&1)
  if [ "$text_ok" -eq 1 ] && [[ " $codes " == *" $CODE "* ]]; then
    ok "[2] slip $CODE -o 'giấy hẹn.pdf': text reads back 'Nguyễn Văn Đức'; barcode decodes to $CODE (pdftoppm + zxing-cpp)"
  else
    fail "[2] slip: text read back $text_ok, barcode '$codes' (want $CODE)"
  fi
else
  fail "[2] slip (exit $RC)"
fi
if wrun 0 "$APP" report --from 2026-01-01 --to 2026-12-31 -o "$(cpath "$DOCS/sổ theo dõi.xlsx")" \
   && [ "$(head -c 2 "$DOCS/sổ theo dõi.xlsx")" = "PK" ] \
   && wrun 0 "$APP" report --from 2026-01-01 --to 2026-12-31 -o "$(cpath "$DOCS/sổ theo dõi.pdf")" \
   && [ "$(head -c 4 "$DOCS/sổ theo dõi.pdf")" = "%PDF" ]; then
  ok "[2] report -o 'sổ theo dõi.xlsx' and '.pdf'"
else
  fail "[2] report (exit $RC)"
fi
printf 'mat-khau-thu-9\n' >"$W/password"
if STDIN=$W/password wrun 0 "$APP" user add canbo1 --full-name "Trần Thị Bình" --password-stdin \
   && [ "$(json 'd["full_name"]')" = "Trần Thị Bình" ]; then
  ok "[2] user add canbo1 'Trần Thị Bình' (argon2, password on stdin)"
else
  fail "[2] user add (exit $RC)"
fi
# The store is SQLCipher under a key DPAPI wraps for this Windows account (docs/protection.md): the
# Linux side cannot read it, only the program can. (Wine's DPAPI proves the calls, not the secrecy.)
if ! "$HOST_PY" -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('select * from dossier')" "$DATA/counter.sqlite3" 2>"$W/err" \
   && grep -q "file is not a database" "$W/err" \
   && grep -q '"method": "dpapi"' "$DATA/counter.keys.json" && [ ! -e "$DATA/counter.key" ]; then
  ok "[2] the store is encrypted (sqlite3: 'file is not a database'), its key wrapped with DPAPI"
else
  fail "[2] the store is not encrypted, or its key is not DPAPI-wrapped"
fi
printf 'cụm mật khẩu của xã Bình Mỹ\n' >"$W/passphrase"
if STDIN=$W/passphrase wrun 0 "$APP" recovery set --passphrase-stdin; then
  ok "[2] recovery set: the office passphrase (DPAPI unwrap, then wrap again)"
else
  fail "[2] recovery set (exit $RC)"
fi
# A USB stick: drive E: (Wine maps a drive letter to a folder, as Windows mounts the stick).
mkdir -p "$W/usb/SaoLuu"   # the folder the admin made on the stick
ln -sfn "$W/usb" "$WINEPREFIX/dosdevices/e:"
if wrun 0 "$APP" backup -o 'E:\SaoLuu\quầy 2026-02-13.qmcbak' && [ -s "$W/usb/SaoLuu/quầy 2026-02-13.qmcbak" ] \
   && [ "$("$HOST_PY" -c "import sys; from pathlib import Path; from counter_app.services.backup import inspect
print(inspect(Path(sys.argv[1]), sys.argv[2]).agency_code)" "$W/usb/SaoLuu/quầy 2026-02-13.qmcbak" 'cụm mật khẩu của xã Bình Mỹ')" = 000.00.20.H12 ]; then
  ok "[2] backup -o 'E:\\SaoLuu\\quầy 2026-02-13.qmcbak' on a drive letter (opens on Linux with the passphrase)"
else
  fail "[2] backup to E: (exit $RC)"
fi
if STDIN=$W/passphrase wrun 0 "$APP" restore 'E:\SaoLuu\quầy 2026-02-13.qmcbak' --passphrase-stdin && wrun 0 "$APP" show "${CODE:-x}" \
   && find "$DATA/backups" -name '*.sqlite3' 2>/dev/null | grep -c . >/dev/null; then
  ok "[2] restore from E:: $CODE still there; the replaced store kept in $(cpath "$DATA")\\backups"
else
  fail "[2] restore from E: (exit $RC)"
fi
# The district server, on the Linux side (from source, as a district would run it).
OFFLINE="$DOCS/ngoại tuyến"
wrun 0 "$APP" --data-dir "$(cpath "$OFFLINE")" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ"
if wrun 3 "$APP" --data-dir "$(cpath "$OFFLINE")" link --server https://127.0.0.1:9 --token khong-co; then
  ok "[2] link to an unreachable server: exit 3, $(tr -d '\r' <"$W/err")"
else
  fail "[2] link to an unreachable server: exit $RC (want 3)"
fi
if start_test_server "$HOST_PY"; then
  SYNCED="$DOCS/đồng bộ"
  wrun 0 "$APP" --data-dir "$(cpath "$SYNCED")" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" --counter 1
  wrun 0 "$APP" --data-dir "$(cpath "$SYNCED")" intake --json "$(cpath "$DOCS/hồ sơ Đức.json")"
  if sync_with_test_server wrun "$(cpath "$SYNCED")"; then
    ok "[2] link (pinned HTTPS) + sync --once against counter-server on 127.0.0.1:$port (Linux side): $(tr -d '\n\r ' <"$W/out")"
  else
    fail "[2] link + sync against the district server (exit $RC; server up: $up)"
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
else
  fail "[2] the district server could not add a device"
fi

# --- [3] the window, [7] a second start, [4] printing: one session of QuayMotCua.exe ----------------
# The printer the officer chose once (ui/prefs.py keeps it in HKCU\Software\QuayMotCua\counter-app).
wine reg add "$PREFS_KEY\\printing" /v printer /d "$PRINTER" /f >/dev/null 2>&1
GUI_OK=0
t0=$(now_ms)
gui_start first
if wait_window "Quầy Một Cửa — .*$MARK" 60; then
  MAIN=$WIN
  info "window up in $(( $(now_ms) - t0 )) ms (title: $(xdotool getwindowname "$MAIN"))"
  GUI_OK=1
  sleep 2
  shot window-login
  ok "[3] QuayMotCua.exe opens its window: '$(xdotool getwindowname "$MAIN")' (found by title with xdotool)"
else
  fail "[3] no window titled 'Quầy Một Cửa — …$MARK' within 60 s ($(head -c 300 "$W/first.log"))"
  shot window-missing
fi

if [ "$GUI_OK" -eq 1 ]; then
  # [7] while the first window is open
  before=$(xdotool search --onlyvisible --name "Quầy Một Cửa — " 2>/dev/null | wc -l)
  gui_start second
  box=""
  deadline=$(( $(date +%s) + 40 ))
  while [ "$(date +%s)" -lt "$deadline" ] && [ -z "$box" ] && [ ! -e "$W/second.rc" ]; do
    box=$(xdotool search --onlyvisible --name '^Quầy Một Cửa$' 2>/dev/null | head -1); sleep 0.2
  done
  if [ -n "$box" ]; then
    sleep 1; shot second-start-refused
    mains=$(xdotool search --onlyvisible --name "Quầy Một Cửa — " 2>/dev/null | wc -l)
    xdotool windowactivate --sync "$box" 2>/dev/null; press Return
  fi
  for _ in $(seq 1 100); do [ -e "$W/second.rc" ] && break; sleep 0.1; done
  rc2=$(cat "$W/second.rc" 2>/dev/null || echo running)
  if [ -n "$box" ] && [ "${mains:-0}" -eq "$before" ] && [ "$rc2" = 1 ] && [ ! -e "$W/first.rc" ]; then
    ok "[7] a second QuayMotCua.exe on the same store: shows its 'Quầy Một Cửa đang mở…' box (screenshot), opens no window of its own, exits 1; the first keeps running"
  else
    fail "[7] second start: message box '${box:-none}', main windows ${mains:-?} (before $before), exit $rc2"
  fi

  # [3] log in and a whole intake with the keyboard
  login=""
  wait_window "Đăng nhập — Quầy Một Cửa" 20 && login=$WIN
  xdotool windowactivate --sync "${login:-$MAIN}" 2>/dev/null; sleep 0.5
  type_keys canbo1; press Tab; type_keys mat-khau-thu-9; press Return
  for _ in $(seq 1 75); do
    xdotool search --onlyvisible --name "Đăng nhập — Quầy Một Cửa" >/dev/null 2>&1 || break; sleep 0.2
  done
  sleep 1
  keyboard_intake "Nguyen Van Khoa" 001090777888 "khai tu"
  press ctrl+s
  found=0
  for _ in $(seq 1 10); do
    wrun 0 "$APP" search "Nguyen Van Khoa" && [ "$(json 'len(d)')" -ge 1 ] && { found=1; break; }
    sleep 1
  done
  shot window-saved
  if [ "$found" -eq 1 ]; then
    KCODE=$(json 'd[0]["code"]')
    wrun 0 "$APP" show "$KCODE"
    ok "[3] a keyboard intake through xdotool (log-in, F2, Tab through the form, procedure search, Ctrl+S) saved $KCODE: $(json 'd["applicant"]["full_name"] + " — " + d["procedure_name"] if "procedure_name" in d else d["applicant"]["full_name"]')"
  else
    fail "[3] the keyboard intake saved no dossier for 'Nguyen Van Khoa' (search exit $RC: $(head -c 200 "$W/out"))"
  fi

  # [4] Ctrl+P: save and print the slip; the preview's printer is the one chosen ($PRINTER); Enter prints.
  ensure_cups
  mkdir -p "$PDF_OUT"; touch "$W/print-mark"; sleep 1
  keyboard_intake "Pham Thi Lan" 001190777999 "khai tu"
  press ctrl+p
  if wait_window "^Xem trước và in" 30; then
    sleep 2; shot print-preview
    xdotool windowactivate --sync "$WIN" 2>/dev/null; press Return
    printed=""
    for _ in $(seq 1 90); do
      printed=$(find "$PDF_OUT" -maxdepth 1 -name '*.pdf' -newer "$W/print-mark" -size +1k 2>/dev/null \
                | while read -r f; do pdfinfo "$f" 2>/dev/null | grep -c "Wine PostScript" >/dev/null && echo "$f"; done | head -1)
      [ -n "$printed" ] && break
      sleep 1
    done
    PCODE=""
    wrun 0 "$APP" search "Pham Thi Lan" && PCODE=$(json 'd[0]["code"]')
    if [ -n "$printed" ]; then
      sleep 1
      pdftoppm -r 300 -f 1 -l 1 -png "$printed" "$W/printed" 2>/dev/null
      codes=$("$HOST_PY" -c "import sys, zxingcpp; from PIL import Image; print(' '.join(r.text for r in zxingcpp.read_barcodes(Image.open(sys.argv[1]))))" "$W/printed-1.png" 2>&1)
      cp "$W/printed-1.png" "$ART/printed-slip.png" 2>/dev/null
      if [ -n "$PCODE" ] && [[ " $codes " == *" $PCODE "* ]]; then
        ok "[4] Ctrl+P in the window printed the slip of $PCODE on '$PRINTER': Wine's spooler -> CUPS -> cups-pdf $(basename "$printed") ($(pdfinfo "$printed" | awk '/^Pages/ {print $2}') pages); its barcode decodes to $PCODE"
        rm -f "$printed"
      else
        fail "[4] the printed PDF $printed: barcode '$codes' (want ${PCODE:-the code})"
      fi
    else
      fail "[4] no PDF from '$PRINTER' in $PDF_OUT within 90 s (lpstat: $(lpstat -o 2>&1 | head -3))"
    fi
  else
    fail "[4] Ctrl+P opened no preview window"; shot print-missing
  fi

  # close the window as the officer does (the window manager's close button)
  xdotool windowactivate --sync "$MAIN" 2>/dev/null; press alt+F4
  for _ in $(seq 1 100); do [ -e "$W/first.rc" ] && break; sleep 0.2; done
  [ -e "$W/first.rc" ] && info "the window closed with Alt+F4 (exit $(cat "$W/first.rc"))"
  [ -e "$W/first.rc" ] || { info "the window did not close: stopping it"; wineserver -k; sleep 1; }
fi
wineserver -w 2>/dev/null

# --- [5] upgrade: N+1 over N, with dossiers, settings and the printer choice -----------------------
NEXT=$(echo "$VERSION" | awk -F. -v OFS=. '{ $NF = $NF + 1; print }')
# N+1: the same program in a copy, with the version bumped and one file of its own; a file only N
# had is planted in the installed program (what an upgrade must not leave behind).
cp -a "$BUNDLE" "$W/next"
echo "$NEXT" >"$W/next/_internal/version-$NEXT.txt"
mkdir -p "$W/setup-next"
makensis -V1 -INPUTCHARSET UTF8 -DCOMPRESSOR=zlib -DVERSION="$NEXT" -DVERSION_NUMBERS="$NEXT.0" -DBUNDLE="$W/next" \
  -DOUTFILE="$W/setup-next/QuayMotCua-$NEXT-setup.exe" installer/windows/QuayMotCua.nsi >"$W/makensis.log" 2>&1 \
  || { cat "$W/makensis.log"; }
touch "$PROGRAM/_internal/stale-only-in-$VERSION.dll"
printer_before=$(wine reg query "$PREFS_KEY\\printing" /v printer 2>/dev/null | tr -d '\r' | awk '/REG_SZ/ {print $3}')
# The store's figures through the program itself (its key opens on this Windows account only).
store_figure() { wrun 0 "$APP" --data-dir "$(cpath "$1")" backup -o "$(winpath "$W/figure.qmcbak")" && json "d['$2']"; }
dossiers_before=$(store_figure "$DATA" dossiers)
if wrun 0 "$W/setup-next/QuayMotCua-$NEXT-setup.exe" /S; then
  printer_after=$(wine reg query "$PREFS_KEY\\printing" /v printer 2>/dev/null | tr -d '\r' | awk '/REG_SZ/ {print $3}')
  version_after=$(wine reg query "$APP_KEY" /v DisplayVersion 2>/dev/null | tr -d '\r' | awk '/REG_SZ/ {print $3}')
  dossiers_after=$(store_figure "$DATA" dossiers)
  office=""; wrun 0 "$APP" show "${CODE:-x}" && shown=1 || shown=0
  wrun 0 "$APP" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ" && office=$(json 'd["office_name"]')
  if [ "$version_after" = "$NEXT" ] && [ ! -e "$PROGRAM/_internal/stale-only-in-$VERSION.dll" ] \
     && [ -f "$PROGRAM/_internal/version-$NEXT.txt" ] && [ "$dossiers_after" = "$dossiers_before" ] && [ "$shown" = 1 ] \
     && [ "$office" = "Bộ phận một cửa $MARK" ] && [ -n "$printer_before" ] && [ "$printer_after" = "$printer_before" ] \
     && [ -f "$STARTMENU/$LNK_APP" ]; then
    ok "[5] upgrade $VERSION -> $NEXT over it: $dossiers_after dossiers kept ($CODE shows), office setting '$office' kept, printer choice '$printer_after' kept, the stale file of $VERSION gone, $NEXT's own file there, same folder and shortcuts"
  else
    fail "[5] upgrade: version '$version_after' (want $NEXT), dossiers $dossiers_before -> $dossiers_after, show $shown, office '$office', printer '$printer_before' -> '$printer_after', stale file $( [ -e "$PROGRAM/_internal/stale-only-in-$VERSION.dll" ] && echo left || echo gone)"
  fi
else
  fail "[5] setup N+1 /S exited $RC"
fi
# The schema migration with its backup first. $VERSION and $NEXT share one schema, so the installed
# program is given a store left at the first schema by the real migrations (from source, Linux side),
# in the user's folder under another name, as an older version would have left it.
OLDER="$DOCS/kho cũ"
mkdir -p "$OLDER"
if "$HOST_PY" - "$OLDER/counter.sqlite3" >"$W/err" 2>&1 <<'EOF'
import sys
from pathlib import Path
from counter_app.db.store import KNOWN_REVISIONS, Store
store = Store(Path(sys.argv[1]), key=None)  # clear, as versions before encryption left it
store.migrate(KNOWN_REVISIONS[0])
store.close()
EOF
then
  rev() { "$HOST_PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$1"; }
  old_rev=$(rev "$OLDER/counter.sqlite3")
  head_rev=$("$HOST_PY" -c "from counter_app.db.store import HEAD_REVISION; print(HEAD_REVISION)")
  if wrun 0 "$APP" --data-dir "$(cpath "$OLDER")" init --agency-code 000.00.20.H12 --agency-name "UBND xã Bình Mỹ"; then
    backup=$(find "$OLDER/backups" -name "truoc-nang-cap-$old_rev-*.sqlite3" 2>/dev/null | head -1)
    now_rev=$(store_figure "$OLDER" schema)
    # The copy kept before the upgrade is under the store's (DPAPI) key too: not readable from here.
    if [ -n "$backup" ] && [ "$now_rev" = "$head_rev" ] && [ "$(head -c 15 "$backup")" != "SQLite format 3" ] \
       && [ "$(head -c 15 "$OLDER/counter.sqlite3")" != "SQLite format 3" ]; then
      ok "[5] migration: the installed $NEXT opened a clear store at schema $old_rev, encrypted it and backed it up first ($(basename "$backup")), migrated it to $head_rev"
    else
      fail "[5] migration: schema now '$now_rev' (want $head_rev), backup '${backup:-none}'"
    fi
  else
    fail "[5] migration: init on the older store exited $RC"
  fi
else
  fail "[5] could not make a store at the first schema from source"
fi

# --- [6] uninstall, then reinstall --------------------------------------------------------------------
if wrun 0 "$PROGRAM/uninstall.exe" /S; then
  # NSIS's uninstaller runs from a copy in %TEMP% and returns at once: wait for it.
  for _ in $(seq 1 150); do [ -e "$PROGRAM" ] || break; sleep 0.2; done
  wineserver -w 2>/dev/null
  left=()
  for f in "$PROGRAM" "$STARTMENU/$LNK_APP" "$STARTMENU/$LNK_CLI" "$DESKTOP/$LNK_APP"; do [ -e "$f" ] && left+=("$f"); done
  wine reg query "$APP_KEY" >/dev/null 2>&1 && left+=("$APP_KEY")
  if [ "${#left[@]}" -eq 0 ] && [ -f "$DATA/counter.sqlite3" ] && [ -d "$DATA/backups" ]; then
    ok "[6] uninstall: the program folder, the three shortcuts and the Apps entry are gone; the store $(cpath "$DATA")\\counter.sqlite3 and its backups stay"
  else
    fail "[6] uninstall left: ${left[*]:-nothing}; store there: $( [ -f "$DATA/counter.sqlite3" ] && echo yes || echo NO)"
  fi
else
  fail "[6] uninstall.exe /S exited $RC"
fi
if wrun 0 "$SETUP" /S && wrun 0 "$APP" show "${CODE:-x}" && [ "$(json 'd["applicant"]["full_name"]')" = "Nguyễn Văn Đức" ]; then
  ok "[6] reinstall of $VERSION finds the store: $CODE 'Nguyễn Văn Đức' is there"
else
  fail "[6] reinstall: exit $RC"
fi

check_no_shims "$PROGRAM" && ok "[1] the installed program holds none of the test-only DLLs (${SHIM_DLLS[*]})" \
  || fail "[1] a test-only DLL was installed"
echo "ci-wine: $PASSED passed, $FAILED failed in $(( $(date +%s) - started )) s"
[ "$FAILED" -eq 0 ]

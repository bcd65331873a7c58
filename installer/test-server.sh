# Sourced by smoke.sh and windows/ci-wine.sh: a district server run from source for their link + sync
# checks, on HTTPS with its own CA as a real one is out of the box, its database and keys in $W.
#
# start_test_server PYTHON (a Python that imports district_server and uvicorn) adds a device and
# serves on a free port. It sets port, SERVER_TLS (the CA the counter pins is $SERVER_TLS/ca.pem),
# token and pin (the device's token and the certificate's fingerprint, for `link`), server (its pid,
# also added to PIDS for the caller's cleanup) and up (1 once /health answers within 20 s, else 0).
# Returns 1, with the reason in $W/err, when the device could not be added (nothing is started).
start_test_server() {
  local py=$1 db="sqlite:///$W/server.sqlite3"
  SERVER_TLS="$W/server-tls"
  port=$("$py" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  "$py" -m district_server --db "$db" add-device --agency-code 000.00.20.H12 --counter 1 \
    --tls-dir "$SERVER_TLS" >"$W/device.json" 2>"$W/err" || return 1
  token=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['token'])" "$W/device.json")
  pin=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['fingerprint'])" "$W/device.json")
  "$py" -m district_server --db "$db" serve --host 127.0.0.1 --port "$port" --tls-dir "$SERVER_TLS" \
    >/dev/null 2>"$W/server.log" &
  server=$!; PIDS+=("$server")
  up=0
  for _ in $(seq 1 200); do
    "$py" -c "import ssl,sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1, context=ssl.create_default_context(cafile=sys.argv[2]))" \
      "https://127.0.0.1:$port/health" "$SERVER_TLS/ca.pem" 2>/dev/null && { up=1; break; }
    sleep 0.1
  done
}

# sync_with_test_server RUN DATA_DIR: the counter whose store is DATA_DIR (as the app is given it)
# links to the server started above, pinning its certificate, and syncs once; true when the server
# answered and every waiting event was pushed. RUN is the caller's runner (smoke.sh's run, ci-wine's
# wrun: expected exit status, then the command; output in $W/out, exit status in RC) and json reads
# $W/out.
sync_with_test_server() {
  local runner=$1 dir=$2
  [ "$up" -eq 1 ] \
    && "$runner" 0 "$APP" --data-dir "$dir" link --server "https://127.0.0.1:$port" --token "$token" --fingerprint "$pin" \
    && "$runner" 0 "$APP" --data-dir "$dir" sync --once \
    && [ "$(json 'd["pushed"] >= 1 and d["pending"] == 0')" = "True" ]
}

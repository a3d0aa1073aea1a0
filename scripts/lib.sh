# shellcheck shell=bash
# Helpers shared by the scripts in this folder. Source it; don't run it.
#   say MSG            progress line
#   die MSG            error line, exit 1
#   section NAME       start a timed section (ends the previous one, printing its time)
#   end_sections       end the last section and print the table of times
#   free_port          print a TCP port on 127.0.0.1 that nobody listens on right now
#   start_server ARGS  build + start mpsocket-server in the background on a free port,
#                      set SERVER_PID and SERVER_PORT, and kill it on exit; it also listens
#                      with TLS (wss://, https://, self-signed): exports SERVER_TLS_PORT,
#                      SERVER_TLS_SPKI (for Chromium's --ignore-certificate-errors-spki-list)
#                      and SERVER_TLS_CERT_DIR (cert.pem, spki.txt)

say() { printf '\033[1m[%s]\033[0m %s\n' "${LOG_TAG:-mpsocket}" "$*"; }
die() { printf '\033[1;31m[%s] error:\033[0m %s\n' "${LOG_TAG:-mpsocket}" "$*" >&2; exit 1; }

_section_name=""
_section_start=0
_section_table=""
section() {
  _section_close
  _section_name="$1"
  _section_start=$SECONDS
  printf '\n\033[1;36m==== %s ====\033[0m\n' "$_section_name"
}
_section_close() {
  if [ -n "$_section_name" ]; then
    local took=$((SECONDS - _section_start))
    printf '\033[2m---- %s: %ss\033[0m\n' "$_section_name" "$took"
    _section_table+=$(printf '  %5ss  %s' "$took" "$_section_name")$'\n'
    _section_name=""
  fi
}
end_sections() {
  _section_close
  printf '\n\033[1mtime per section\033[0m\n%s  %5ss  total\n' "$_section_table" "$SECONDS"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Cleanup hooks run on exit (in reverse order of registration).
_exit_hooks=()
on_exit() { _exit_hooks+=("$1"); }
_run_exit_hooks() {
  local i
  for ((i = ${#_exit_hooks[@]} - 1; i >= 0; i--)); do eval "${_exit_hooks[i]}" || true; done
}
trap _run_exit_hooks EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SERVER_BIN=target/release/mpsocket-server
build_server() {
  say "building mpsocket-server (release; about 1 minute the first time)"
  cargo build -q -p mpsocket-server --release
}

# start_server [extra server args...]: needs a built server. Writes its log to .test-run/server.log.
start_server() {
  mkdir -p .test-run
  local port_file=.test-run/port.$$ tls_port_file=.test-run/tls-port.$$ cert_dir=.test-run/tls.$$
  rm -f "$port_file" "$tls_port_file"
  "$SERVER_BIN" --port 0 --port-file "$port_file" \
    --tls-port 0 --tls-port-file "$tls_port_file" --tls-cert-out "$cert_dir" "$@" >.test-run/server.log 2>&1 &
  SERVER_PID=$!
  on_exit "kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf $port_file $tls_port_file $cert_dir"
  local i
  for ((i = 0; i < 100; i++)); do
    if [ -s "$port_file" ]; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat .test-run/server.log >&2
      die "mpsocket-server exited during start-up"
    fi
    sleep 0.1
  done
  [ -s "$port_file" ] || die "mpsocket-server wrote no port file within 10 s"
  SERVER_PORT=$(tr -d '[:space:]' <"$port_file")
  # Written before the plain port file.
  SERVER_TLS_PORT=$(tr -d '[:space:]' <"$tls_port_file")
  SERVER_TLS_SPKI=$(tr -d '[:space:]' <"$cert_dir/spki.txt")
  SERVER_TLS_CERT_DIR=$PWD/$cert_dir
  export SERVER_TLS_PORT SERVER_TLS_SPKI SERVER_TLS_CERT_DIR
  say "mpsocket-server (pid $SERVER_PID) on http://127.0.0.1:$SERVER_PORT and https://127.0.0.1:$SERVER_TLS_PORT"
}

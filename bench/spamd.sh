# Sourced by the benchmarks: a private spamd (Debian package spamd, installed when missing; its
# service is never started) on a free loopback port, with SpamAssassin's shipped rules, network
# tests off and a Bayes database of its own.
#
#   bench_spamd_start DIR     starts it, sets BENCH_SPAMD_PORT
#   bench_spamd_stop          stops it

source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

bench_spamd_start() {
  local dir=$1
  if [[ ! -x /usr/sbin/spamd ]] || ! command -v spamc >/dev/null; then
    echo "bench: installing spamd and spamc (the spamd service is not started)" >&2
    bench_install_packages spamd spamc
  fi
  mkdir -p "$dir/site" "$dir/bayes" "$dir/home"
  # spamd started by root runs its children as nobody: they must reach the rules and the Bayes files
  chmod 755 "$(dirname "$dir")" "$dir"; chmod 777 "$dir/bayes"
  cp /etc/spamassassin/*.pre "$dir/site/"
  printf 'use_bayes 1\nbayes_auto_learn 0\nbayes_path %s/bayes/bayes\nbayes_file_mode 0777\n' "$dir" > "$dir/site/local.cf"
  BENCH_SPAMD_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  local as_user=(); [[ $(id -u) -eq 0 ]] && as_user=(-u nobody)
  /usr/sbin/spamd -x -L --allow-tell --listen="127.0.0.1:$BENCH_SPAMD_PORT" --siteconfigpath="$dir/site" \
    --pidfile="$dir/spamd.pid" --max-children="${BENCH_SPAMD_CHILDREN:-8}" --min-children=2 "${as_user[@]}" \
    -H "$dir/home" --syslog=stderr > "$dir/spamd.out" 2>&1 &
  BENCH_SPAMD_PID=$!
  python3 - "$BENCH_SPAMD_PORT" <<'PY'
import socket, sys, time
deadline = time.time() + 120
while time.time() < deadline:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2); s.sendall(b"PING SPAMC/1.5\r\n\r\n")
        if b"PONG" in s.recv(64): sys.exit(0)
    except OSError: pass
    time.sleep(0.1)
sys.exit("bench: spamd did not answer PING")
PY
}

bench_spamd_stop() {
  if [[ -n ${BENCH_SPAMD_PID:-} ]]; then
    pkill -P "$BENCH_SPAMD_PID" 2>/dev/null || true
    kill "$BENCH_SPAMD_PID" 2>/dev/null || true
  fi
}

# Sourced by the benchmarks: a private clamd (Debian package clamav-daemon, installed when
# missing; its services are never started) on a free loopback port, with a one-signature
# database for the EICAR test string written here (nothing is downloaded). A real signature
# database makes clamd slower per message; these figures are the pipeline's own cost.
#
#   bench_clamd_start DIR     starts it, sets BENCH_CLAMD_PORT
#   bench_clamd_stop          stops it

source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

bench_clamd_start() {
  local dir=$1
  if ! command -v clamd >/dev/null && [[ ! -x /usr/sbin/clamd ]]; then
    echo "bench: installing clamav-daemon (its services are not started)" >&2
    bench_install_packages clamav-daemon
  fi
  mkdir -p "$dir/db" "$dir/tmp"
  local eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
  echo "Maildeck.Test.EICAR:0:*:$(printf '%s' "$eicar" | od -An -tx1 -v | tr -d ' \n')" > "$dir/db/maildeck-test.ndb"
  BENCH_CLAMD_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  cat > "$dir/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $dir/db
TemporaryDirectory $dir/tmp
TCPSocket $BENCH_CLAMD_PORT
TCPAddr 127.0.0.1
StreamMaxLength 25M
MaxThreads 10
SelfCheck 0
ScanArchive yes
ScanMail yes
Bytecode no
CONF
  PATH=$PATH:/usr/sbin clamd -c "$dir/clamd.conf" > "$dir/clamd.out" 2>&1 &
  BENCH_CLAMD_PID=$!
  python3 - "$BENCH_CLAMD_PORT" <<'PY'
import socket, sys, time
deadline = time.time() + 60
while time.time() < deadline:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2); s.sendall(b"zPING\0")
        if s.recv(16).startswith(b"PONG"): sys.exit(0)
    except OSError: pass
    time.sleep(0.05)
sys.exit("bench: clamd did not answer PING")
PY
}

bench_clamd_stop() {
  [[ -n ${BENCH_CLAMD_PID:-} ]] && kill "$BENCH_CLAMD_PID" 2>/dev/null || true
}

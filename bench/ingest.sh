# Sourced by the ingest benchmarks (smtp-ingest, ingest-fsyncs, profile-ingest): a fresh
# Maildeck instance for one run, the smtp-source load, and the wait until the mail is stored.
#
#   bench_maildeck_start HOME        a new instance in HOME (its own MAILDECK_HOME, dev ports)
#                                    with one user inbox@bench.test; sets BENCH_MAILDECK_PID,
#                                    BENCH_MAILDECK_MAILDIR, BENCH_BOOT_MS, BENCH_READY_LINE,
#                                    BENCH_IDLE_RSS_KB
#   bench_maildeck_stop              stops it (and the clamd/spamd it started)
#   bench_inject HOST:PORT N S C     smtp-source: N messages of S bytes over C sessions to
#                                    inbox@bench.test; sets BENCH_START_NS, BENCH_SENT_NS
#   bench_await_stored MAILDIR COUNT waits until MAILDIR's new/ and cur/ hold COUNT messages
#                                    (BENCH_TIMEOUT seconds, default 900); sets BENCH_DONE_NS
#
# Environment read by bench_maildeck_start:
#   BENCH_SCAN=off       the content filter out of the pipeline (root goes straight to transport);
#                        otherwise every message is virus-scanned by a private clamd (bench/clamd.sh)
#   BENCH_SPAM=on        also score every message with a private spamd (bench/spamd.sh;
#                        smtp-source sends from the trusted loopback, so trusted mail is scored too)
#   BENCH_SCAN_MODE=sequential   the scanners one after the other instead of in parallel
#   BENCH_SENDER         the envelope sender of the load (default sender@bench.test)
#   bench_edit_conf DIR  if the calling bench defines this function, it is called with the
#                        instance's conf directory before the start
#   MAILDECK_JAVA_OPTS   JVM options, as bin/maildeck reads them (default there: bin/maildeck's default_java_opts)
# Needs the dev ports free (stop a running ./maildeck first).

bench_root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
source "$bench_root/bench/clamd.sh"
source "$bench_root/bench/spamd.sh"

bench_ensure_smtp_source() {
  command -v smtp-source >/dev/null && return
  [[ -x /usr/sbin/smtp-source ]] && { PATH=$PATH:/usr/sbin; return; }
  echo "bench: installing postfix for smtp-source (the Postfix service is not started)" >&2
  bench_install_postfix
  PATH=$PATH:/usr/sbin
  command -v smtp-source >/dev/null || { echo "bench: smtp-source not found after installing postfix" >&2; exit 1; }
}

bench_check_dev_ports_free() {
  local port
  for port in 2525 2143 8000 9999 28891; do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
      echo "bench: port $port is in use; stop the running server first" >&2; exit 1
    fi
  done
}

bench_md() { MAILDECK_HOME=$BENCH_MAILDECK_HOME "$bench_root/maildeck" "$@"; }

bench_maildeck_start() {
  local home=$1
  BENCH_MAILDECK_HOME=$home
  # Everything of this instance below its home, whatever the caller's environment says.
  unset MAILDECK_CONF MAILDECK_DATA MAILDECK_MAIL
  MAILDECK_HOME=$home/unused "$bench_root/maildeck" status >/dev/null 2>&1 || true   # builds the distribution if needed, outside the timing
  rm -rf "$home/unused"
  local version; version=$(sed -n 's|^    <version>\(.*\)</version>|\1|p' "$bench_root/pom.xml" | head -n 1)
  mkdir -p "$home"
  cp -R "$bench_root/assembly/target/maildeck-$version/maildeck-$version/conf" "$home/conf"
  local props=$home/conf/contentfilter.properties
  BENCH_SCAN=${BENCH_SCAN:-on} BENCH_SPAM=${BENCH_SPAM:-off} BENCH_SCAN_MODE=${BENCH_SCAN_MODE:-parallel}
  sed -i "s|^scan.mode=.*|scan.mode=$BENCH_SCAN_MODE|" "$props"
  # clamd runs (idle) with BENCH_SCAN=off too, as it always did here: the figures stay comparable.
  bench_clamd_start "$home/clamd"
  sed -i "s|^clamd.address=.*|clamd.address=127.0.0.1:$BENCH_CLAMD_PORT|" "$props"
  if [[ $BENCH_SPAM == on ]]; then
    bench_spamd_start "$home/spamd"
    sed -i "s|^spamd.address=.*|spamd.address=127.0.0.1:$BENCH_SPAMD_PORT|" "$props"
    sed -i "s|<spamChecksTrustedMail>false</spamChecksTrustedMail>|<spamChecksTrustedMail>true</spamChecksTrustedMail>|" "$home/conf/mailetcontainer.xml"
  else
    sed -i "s|^spamd.enabled=.*|spamd.enabled=false|" "$props"
  fi
  if [[ $BENCH_SCAN == off ]]; then
    python3 - "$home/conf/mailetcontainer.xml" <<'PY'
import sys
path = sys.argv[1]; original = open(path).read()
text = original.replace("<processor>content-filter</processor>\n            </mailet>\n        </processor>", "<processor>transport</processor>\n            </mailet>\n        </processor>", 1)
if text == original:
    sys.exit("bench: could not take the content filter out of mailetcontainer.xml")
open(path, "w").write(text)
PY
  fi
  # A bench's own configuration changes (e.g. bench/mail-auth's), on the copy.
  if declare -F bench_edit_conf >/dev/null; then bench_edit_conf "$home/conf"; fi
  local t0 t1
  t0=$(date +%s%N)
  bench_md start >/dev/null
  t1=$(date +%s%N)
  BENCH_MAILDECK_PID=$(cat "$home/var/maildeck.pid")
  BENCH_BOOT_MS=$(( (t1 - t0) / 1000000 ))
  BENCH_READY_LINE=$(grep -o 'ready in [0-9]* ms' "$home/var/log/maildeck.out" | tail -n 1)
  sleep 5
  BENCH_IDLE_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$BENCH_MAILDECK_PID/status")
  bench_md domain add bench.test >/dev/null
  printf 'bench-password\n' | bench_md user add inbox@bench.test --password-stdin >/dev/null
  BENCH_MAILDECK_MAILDIR=$home/mail/bench.test/inbox/Maildir
}

bench_maildeck_stop() {
  [[ -n ${BENCH_MAILDECK_HOME:-} ]] || return 0
  bench_md stop >/dev/null 2>&1 || true
  # ./maildeck rebuilds before every command when the sources changed; if they no longer
  # compile, its stop never reaches the server, so end the server by the pid it recorded.
  local pid=${BENCH_MAILDECK_PID:-} waited=0
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (( waited < 600 )); do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  bench_clamd_stop; bench_spamd_stop
  BENCH_CLAMD_PID= BENCH_SPAMD_PID= BENCH_MAILDECK_HOME=
}

bench_inject() {
  local target=$1 n=$2 s=$3 c=$4
  bench_ensure_smtp_source
  BENCH_START_NS=$(date +%s%N)
  smtp-source -s "$c" -m "$n" -l "$s" -f "${BENCH_SENDER:-sender@bench.test}" -t inbox@bench.test -M bench.test "$target"
  BENCH_SENT_NS=$(date +%s%N)
}

# Polls every 20 ms (the resolution of the stored time); the listing of a few thousand names
# costs well under a millisecond.
bench_await_stored() {
  local maildir=$1 count=$2
  BENCH_DONE_NS=$(python3 - "$maildir" "$count" "${BENCH_TIMEOUT:-900}" <<'PY'
import os, sys, time
maildir, count, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def stored():
    n = 0
    for sub in ("new", "cur"):
        try:
            n += sum(1 for e in os.scandir(os.path.join(maildir, sub)) if not e.name.startswith("."))
        except FileNotFoundError:
            pass
    return n
deadline = time.time() + timeout
while True:
    n = stored()
    if n >= count:
        print(time.time_ns()); break
    if time.time() > deadline:
        sys.exit(f"bench: only {n} of {count} messages stored in {maildir} after {timeout:.0f}s")
    time.sleep(0.02)
PY
)
}

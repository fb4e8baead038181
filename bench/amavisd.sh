# Sourced by the benchmarks: a private amavisd-new (Debian package amavisd-new, installed when
# missing; its service is never started and /etc/amavis is not read) as the after-queue content
# filter of a private Postfix, as the stack Maildeck replaces runs it: Postfix hands each mail to
# amavisd on a loopback port (content_filter), amavisd asks clamd and SpamAssassin and reinjects
# into a second Postfix smtpd, which delivers.
#
#   bench_amavisd_start DIR CLAMD_PORT REINJECT_PORT   starts it, sets BENCH_AMAVISD_PORT
#   bench_amavisd_stop                                  stops it
#
# amavisd runs SpamAssassin inside its own processes (Mail::SpamAssassin); it has no spamd
# client. It reads the same shipped rules as the private spamd (/usr/share/spamassassin and the
# package's .pre files), network tests off, Bayes in a database of its own, as bench/spamd.sh.
# clamd is asked with CONTSCAN on amavisd's own temporary files (the Debian default), so the
# clamd must run as root or as amavis (bench/clamd.sh runs it as the caller, root here).
# Settings are Debian's defaults where they matter for throughput: $max_servers as many as
# Postfix's smtp-amavis transport is allowed (BENCH_AMAVISD_SERVERS, default 8, the usual
# advice: the same number on both sides), the libdb cache off (each message here is new), the
# log at level 0 into a file.

source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

bench_amavisd_start() {
  local dir=$1 clamd_port=$2 reinject_port=$3 servers=${BENCH_AMAVISD_SERVERS:-8}
  [[ $(id -u) -eq 0 ]] || { echo "bench: the private amavisd needs root (it changes to the amavis user)" >&2; return 1; }
  if [[ ! -x /usr/sbin/amavisd ]]; then
    echo "bench: installing amavisd-new (its service is not started)" >&2
    bench_install_packages amavisd-new
  fi
  getent passwd amavis >/dev/null || { echo "bench: the amavis user is missing (Debian's amavisd-new creates it)" >&2; return 1; }
  mkdir -p "$dir/tmp" "$dir/db" "$dir/quarantine" "$dir/home/.spamassassin" "$dir/var" "$dir/etc"
  chown -R amavis:amavis "$dir"
  # amavisd refuses a configuration its own user could change: root keeps etc/ and the file.
  chown root:root "$dir" "$dir/etc"
  chmod 755 "$dir" "$dir/etc"
  BENCH_AMAVISD_DIR=$dir
  BENCH_AMAVISD_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  cat >"$dir/etc/amavisd.conf" <<CONF
use strict;
\$MYHOME = '$dir';
\$TEMPBASE = '$dir/tmp';
\$db_home = '$dir/db';
\$helpers_home = '$dir/home';
\$QUARANTINEDIR = '$dir/quarantine';
\$pid_file = '$dir/var/amavisd.pid';
\$lock_file = '$dir/var/amavisd.lock';
\$daemon_user = 'amavis';
\$daemon_group = 'amavis';
\$mydomain = 'bench.test';
\$myhostname = 'amavis-bench.localdomain';
@local_domains_maps = (['bench.test']);
@mynetworks = qw(127.0.0.0/8);
\$max_servers = $servers;
\$inet_socket_bind = '127.0.0.1';
\$inet_socket_port = $BENCH_AMAVISD_PORT;
@inet_acl = qw(127.0.0.1);
\$forward_method = 'smtp:[127.0.0.1]:$reinject_port';
\$notify_method = \$forward_method;
\$enable_db = 0;
\$enable_global_cache = 0;
\$enable_dkim_verification = 0;
\$enable_dkim_signing = 0;
\$DO_SYSLOG = 0;
\$LOGFILE = '$dir/var/amavis.log';
\$log_level = 0;
\$sa_local_tests_only = 1;
\$sa_tag_level_deflt = -999;
\$sa_tag2_level_deflt = 6.31;
\$sa_kill_level_deflt = 6.31;
\$sa_mail_body_size_limit = 200*1024;
\$final_virus_destiny = D_DISCARD;
\$final_banned_destiny = D_DISCARD;
\$final_spam_destiny = D_PASS;
\$final_bad_header_destiny = D_PASS;
@bypass_virus_checks_maps = (0);
@bypass_spam_checks_maps = (0);
\$virus_admin = undef;
\$spam_admin = undef;
@av_scanners = (
  ['ClamAV-clamd', \\&ask_daemon, ["CONTSCAN {}\\n", "127.0.0.1:$clamd_port"],
    qr/\\bOK\$/m, qr/\\bFOUND\$/m, qr/^.*?: (?!Infected Archive)(.*) FOUND\$/m ],
);
@av_scanners_backup = ();
1;
CONF
  # Plain-text form of Debian's own settings would pull in /etc/amavis; this file is all it reads.
  /usr/sbin/amavisd -c "$dir/etc/amavisd.conf" foreground >"$dir/amavisd.out" 2>&1 &
  BENCH_AMAVISD_PID=$!
  local waited=0
  until (exec 3<>/dev/tcp/127.0.0.1/$BENCH_AMAVISD_PORT) 2>/dev/null; do
    if (( waited >= 1200 )) || ! kill -0 "$BENCH_AMAVISD_PID" 2>/dev/null; then
      tail -n 20 "$dir/amavisd.out" "$dir/var/amavis.log" >&2 2>/dev/null || true
      echo "bench: amavisd does not listen on 127.0.0.1:$BENCH_AMAVISD_PORT (log above)" >&2; return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
}

bench_amavisd_stop() {
  [[ -n ${BENCH_AMAVISD_PID:-} ]] || return 0
  local waited=0
  kill -TERM "$BENCH_AMAVISD_PID" 2>/dev/null || true
  while kill -0 "$BENCH_AMAVISD_PID" 2>/dev/null && (( waited < 100 )); do sleep 0.1; waited=$((waited + 1)); done
  kill -KILL "$BENCH_AMAVISD_PID" 2>/dev/null || true
  # its children (the pre-forked servers) leave with the parent; any left over are ended here
  pkill -KILL -f "amavisd -c $BENCH_AMAVISD_DIR/etc/amavisd.conf" 2>/dev/null || true
  BENCH_AMAVISD_PID=
}

# Sourced by the IMAP benchmarks: a private Dovecot (Debian package dovecot-imapd, installed when
# missing; the system Dovecot service and /etc/dovecot are never used) serving one user's Maildir
# on a free loopback port.
#
#   bench_dovecot_start DIR USER PASSWORD   starts it on the mail below DIR/mail (Maildir++ at
#                                           DIR/mail/<domain>/<localpart>/Maildir; copy a tree
#                                           there first, or leave it empty and Dovecot creates
#                                           INBOX); sets BENCH_DOVECOT_PORT, BENCH_DOVECOT_PID
#   bench_dovecot_stop                      stops it
#
# Dovecot refuses to access mail as root (uid 0 is below first_valid_uid): the mail belongs to
# nobody instead, named as mail uid/gid in the userdb, an existing unprivileged account, so
# nothing has to be created on the machine. The password is stored in plain text ({PLAIN}):
# Dovecot's login then costs what its own protocol work costs.
# A configuration of its own (not /etc/dovecot): no SSL, no POP3/LMTP, everything it writes
# (sockets, state, log) below DIR; instance_name keeps its processes apart from any other Dovecot.

source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

bench_ensure_dovecot() {
  command -v dovecot >/dev/null && return
  [[ -x /usr/sbin/dovecot ]] && { PATH=$PATH:/usr/sbin; return; }
  echo "bench: installing dovecot-imapd (the system Dovecot service is not started)" >&2
  bench_install_packages dovecot-imapd
  PATH=$PATH:/usr/sbin
  command -v dovecot >/dev/null || { echo "bench: dovecot not found after installing dovecot-imapd" >&2; return 1; }
}

bench_dovecot_start() {
  local dc=$1 user=$2 password=$3
  bench_ensure_dovecot
  local domain=${user#*@} local_part=${user%@*}
  BENCH_DOVECOT_DIR=$dc
  mkdir -p "$dc/run" "$dc/state" "$dc/mail/$domain/$local_part"
  chown -R nobody:nogroup "$dc/mail"
  local mail_uid mail_gid
  mail_uid=$(id -u nobody) mail_gid=$(getent group nogroup | cut -d: -f3)
  printf '%s:{PLAIN}%s:%s:%s::%s::\n' "$user" "$password" \
    "$mail_uid" "$mail_gid" "$dc/mail/$domain/$local_part" >"$dc/users"
  chmod 644 "$dc/users"
  BENCH_DOVECOT_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$dc/dovecot.conf" <<CONF
instance_name = maildeck-bench-$$-$BENCH_DOVECOT_PORT
base_dir = $dc/run
state_dir = $dc/state
log_path = $dc/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dc/mail/%d/%n/Maildir
namespace inbox {
  inbox = yes
  separator = .
  prefix =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dc/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $dc/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $BENCH_DOVECOT_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
  dovecot -F -c "$dc/dovecot.conf" &
  BENCH_DOVECOT_PID=$!
  local waited=0
  until (exec 3<>/dev/tcp/127.0.0.1/$BENCH_DOVECOT_PORT) 2>/dev/null; do
    if ! kill -0 "$BENCH_DOVECOT_PID" 2>/dev/null || (( waited >= 100 )); then
      tail -n 20 "$dc/dovecot.log" >&2 2>/dev/null || true
      echo "bench: Dovecot did not start (log above)" >&2; return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
}

bench_dovecot_stop() {
  [[ -n ${BENCH_DOVECOT_PID:-} ]] || return 0
  kill -TERM "$BENCH_DOVECOT_PID" 2>/dev/null || true
  local waited=0
  while kill -0 "$BENCH_DOVECOT_PID" 2>/dev/null && (( waited < 100 )); do sleep 0.1; waited=$((waited + 1)); done
  kill -KILL "$BENCH_DOVECOT_PID" 2>/dev/null || true
  wait "$BENCH_DOVECOT_PID" 2>/dev/null || true
  BENCH_DOVECOT_PID=
}

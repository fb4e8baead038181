# Sourced by the benchmarks: a private Postfix (Debian package postfix, installed when missing;
# the system service and /etc/postfix are never used) that accepts mail on a free loopback port
# and delivers it with virtual(8) into a Maildir, so that Maildeck can be measured against it.
#
#   bench_postfix_start DIR [RECIPIENT]   starts it, sets BENCH_POSTFIX_PORT, BENCH_POSTFIX_MAILDIR
#                                          (the recipient's Maildir), BENCH_POSTFIX_MASTER_PID
#   bench_postfix_stop                     stops it (postfix stop, then the master by its pid)
#
#   BENCH_POSTFIX_MAIN_EXTRA, BENCH_POSTFIX_MASTER_EXTRA   lines appended to the generated main.cf
#                                          and master.cf (a content filter, a milter, a second smtpd)
#
# Everything it reads or writes is below DIR: its configuration directory (main.cf, master.cf
# and a copy of the package's meta files, so that `postfix check` never sets permissions in
# /etc/postfix), its queue_directory, data_directory, the mail log (maillog_file, through
# postlogd, as no syslog is assumed) and the Maildirs (virtual_mailbox_base). The recipient
# (default inbox@bench.test) is the only entry of virtual_mailbox_maps (texthash: no postmap).
#
# Postfix runs as root here (its master must: it binds the port and starts the daemons), with
# mail_owner = postfix and setgid_group = postdrop, the accounts the package creates; Postfix
# refuses a mail_owner with root privileges, so "the current user" is not possible for root.
# virtual(8) refuses uid 0 too (virtual_minimum_uid): the Maildirs belong to nobody:nogroup,
# as in bench/imap-maildir's Dovecot. Run as an unprivileged user, the script would need sudo
# for all of this; it is written for root, which the benchmarks are run as, and says so.
# chroot is off for every service (a chroot needs copies of /etc files inside the queue).
# Durability is Postfix's default: smtpd answers 250 once cleanup(8) has fsync'd the queue file;
# virtual(8) fsyncs each Maildir file before its rename into new/.

source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

bench_postfix_start() {
  local dir=$1 recipient=${2:-inbox@bench.test}
  [[ $(id -u) -eq 0 ]] || { echo "bench: the private Postfix needs root (its master binds ports and changes users)" >&2; return 1; }
  if ! command -v postfix >/dev/null && [[ ! -x /usr/sbin/postfix ]]; then
    echo "bench: installing postfix (its service is not started, /etc/postfix is not configured)" >&2
    bench_install_postfix
  fi
  getent passwd postfix >/dev/null && getent group postdrop >/dev/null \
    || { echo "bench: the postfix user or the postdrop group is missing (Debian's postfix package creates them)" >&2; return 1; }
  local pf=/usr/sbin/postfix
  BENCH_POSTFIX_DIR=$dir
  local conf=$dir/conf meta=$dir/meta mail=$dir/mail
  mkdir -p "$conf" "$meta" "$dir/queue" "$dir/data" "$mail"
  # The package's meta files (postfix-files tells `postfix check` what to create and own).
  cp -a /etc/postfix/postfix-files /etc/postfix/dynamicmaps.cf "$meta/"
  mkdir -p "$meta/postfix-files.d" "$meta/dynamicmaps.cf.d"
  chown postfix "$dir/data"
  chown nobody:nogroup "$mail"
  BENCH_POSTFIX_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  local domain=${recipient#*@} local_part=${recipient%@*}
  BENCH_POSTFIX_MAILDIR=$mail/$domain/$local_part
  printf '%s %s/%s/\n' "$recipient" "$domain" "$local_part" >"$conf/vmailbox"
  cat >"$conf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
meta_directory = $meta
daemon_directory = /usr/lib/postfix/sbin
command_directory = /usr/sbin
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-bench
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
myhostname = postfix-bench.localdomain
mydomain = localdomain
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
alias_maps =
alias_database =
local_recipient_maps =
relay_domains =
virtual_mailbox_domains = $domain
virtual_mailbox_base = $mail
virtual_mailbox_maps = texthash:$conf/vmailbox
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(getent group nogroup | cut -d: -f3)
virtual_mailbox_limit = 0
message_size_limit = 52428800
smtputf8_enable = no
biff = no
append_dot_mydomain = no
smtpd_banner = \$myhostname ESMTP
CONF
  # master.cf: the services a mail from smtpd to virtual(8) passes, with Debian's process limits
  # (smtpd: default_process_limit 100), and no chroot.
  cat >"$conf/master.cf" <<CONF
127.0.0.1:$BENCH_POSTFIX_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
  [[ -z ${BENCH_POSTFIX_MAIN_EXTRA:-} ]] || printf '%s\n' "$BENCH_POSTFIX_MAIN_EXTRA" >>"$conf/main.cf"
  [[ -z ${BENCH_POSTFIX_MASTER_EXTRA:-} ]] || printf '%s\n' "$BENCH_POSTFIX_MASTER_EXTRA" >>"$conf/master.cf"
  "$pf" -c "$conf" check >"$dir/check.out" 2>&1 || { cat "$dir/check.out" >&2; echo "bench: postfix check failed" >&2; return 1; }
  "$pf" -c "$conf" start >"$dir/start.out" 2>&1 || { cat "$dir/start.out" "$dir/maillog" >&2 2>/dev/null; echo "bench: Postfix did not start" >&2; return 1; }
  local waited=0
  until (exec 3<>/dev/tcp/127.0.0.1/$BENCH_POSTFIX_PORT) 2>/dev/null; do
    if (( waited >= 100 )); then
      tail -n 20 "$dir/maillog" >&2 2>/dev/null || true
      echo "bench: Postfix does not listen on 127.0.0.1:$BENCH_POSTFIX_PORT (log above)" >&2; return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  BENCH_POSTFIX_MASTER_PID=$(head -n 1 "$dir/queue/pid/master.pid" | tr -d ' ')
}

bench_postfix_stop() {
  [[ -n ${BENCH_POSTFIX_DIR:-} ]] || return 0
  /usr/sbin/postfix -c "$BENCH_POSTFIX_DIR/conf" stop >/dev/null 2>&1 || true
  local pid=${BENCH_POSTFIX_MASTER_PID:-} waited=0
  if [[ -n $pid ]]; then
    while kill -0 "$pid" 2>/dev/null && (( waited < 100 )); do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  BENCH_POSTFIX_DIR=
}

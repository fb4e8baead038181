# Sourced by the benchmarks: installs Debian packages they need, without starting any service
# the packages bring (a policy-rc.d that refuses every start, for the time of the installation)
# and without questions (DEBIAN_FRONTEND=noninteractive; debconf answers can be given first).
#
#   bench_install_packages PACKAGE...   apt-get install, with sudo when not root
#   bench_install_postfix               Postfix's package, unconfigured (no /etc/postfix/main.cf)

bench_install_packages() {
  local sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod +x "$policy"; created_policy=1
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@" >/dev/null
  [[ -n $created_policy ]] && "${sudo_cmd[@]}" rm -f "$policy"
  return 0
}

bench_install_postfix() {
  local sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo_cmd[@]}" debconf-set-selections
  bench_install_packages postfix
}

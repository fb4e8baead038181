# $1: 1 on install, 2 or more on upgrade
/usr/share/maildeck/bin/maildeck-setup
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  if [ "$1" -eq 1 ]; then
    systemctl enable --now maildeck.service >/dev/null 2>&1 || :
  else
    systemctl try-restart maildeck.service >/dev/null 2>&1 || :
  fi
elif [ "$1" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
  # no running systemd (chroot, image build): enabled for the next boot only
  systemctl enable maildeck.service >/dev/null 2>&1 || :
fi

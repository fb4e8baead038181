# $1: 0 when the package is erased, 1 on upgrade. Erasing keeps the data, the mail, the
# maildeck user and any edited configuration (as .rpmsave).
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
fi
if [ "$1" -eq 0 ]; then
  for dir in /var/mail/vhosts /var/lib/maildeck; do
    [ -d "$dir" ] && echo "maildeck: kept $dir; remove it by hand once its mail and data are no longer wanted"
  done
fi
exit 0

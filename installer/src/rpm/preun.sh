# $1: 0 when the package is erased, 1 on upgrade
if [ "$1" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now maildeck.service >/dev/null 2>&1 || :
fi

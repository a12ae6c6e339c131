#!/usr/bin/env bash
# WeasyPrint renders the decision PDFs with Pango (libpango-1.0-0, libpangoft2-1.0-0) and
# embeds DejaVu Sans (fonts-dejavu-core) for any character Inter lacks. Called by
# `make setup` (and so by `make run` and `make test`).
#
# Present: says nothing and exits. Missing: installs them with apt-get when root (or with
# password-less sudo); otherwise says exactly what to install and fails.
set -euo pipefail

have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || compgen -G "/usr/lib/*/$1*" >/dev/null; }
missing=()
have_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
compgen -G '/usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf' >/dev/null || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "Faseport trenger Pango for å lage PDF-er (WeasyPrint). Installer: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Faseport trenger Pango for å lage PDF-er (WeasyPrint): installer ${missing[*]} (Debian-navn) med pakkesystemet ditt." >&2
  exit 1
fi
echo "pango: installerer ${missing[*]} med apt-get"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
  --no-install-recommends "${missing[@]}"

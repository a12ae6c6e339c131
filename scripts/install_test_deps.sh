#!/usr/bin/env bash
# Install the system programs the integration tests run for real: OpenLDAP (slapd,
# ldap-utils), Samba's Active Directory domain controller (samba, samba-ad-dc, and
# samba-ad-provision for `samba-tool domain provision`), a PostgreSQL server, Chromium
# with a font, openssl, iproute2 (the Samba tests give it a loopback address), and Pango
# for WeasyPrint.
#
# Called by `make test` (target test-deps). Idempotent and fast: when everything is
# present it only checks a few paths and exits. It never starts a system service; the
# tests start their own throwaway slapd / PostgreSQL / Chromium instances.
#
# Not root: uses `sudo -n` when that works without a password (CI runners), otherwise
# prints what is missing and fails when CI=true (locally it warns: the tests that need
# the program are then skipped).
set -euo pipefail

# debian package -> "a path or command that proves it is installed"
missing=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_glob() { compgen -G "$1" >/dev/null; }

{ [ -x /usr/sbin/slapd ] || have_cmd slapd; } || missing+=(slapd)
{ have_cmd ldapadd && have_cmd ldapsearch; } || missing+=(ldap-utils)
have_glob '/usr/lib/postgresql/*/bin/initdb' || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
have_glob '/usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf' || missing+=(fonts-dejavu-core)
have_cmd openssl || missing+=(openssl)
# WeasyPrint (the decision PDFs) loads Pango; `make setup` checks this too (install_pango.sh).
{ ldconfig -p 2>/dev/null | grep -q libpango-1.0.so.0 || have_glob '/usr/lib/*/libpango-1.0.so.0'; } || missing+=(libpango-1.0-0)
{ ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || have_glob '/usr/lib/*/libpangoft2-1.0.so.0'; } || missing+=(libpangoft2-1.0-0)
[ -x /usr/sbin/samba ] || missing+=(samba)
[ -d /usr/share/doc/samba-ad-dc ] || missing+=(samba-ad-dc)
[ -f /usr/share/samba/setup/ad-schema/AD_DS_Attributes__Windows_Server_2012_R2.ldf ] || missing+=(samba-ad-provision)
have_cmd ip || missing+=(iproute2)

if [ ${#missing[@]} -eq 0 ]; then
  echo "test-deps: slapd, ldap-utils, samba (AD DC), postgresql, chromium, fonts-dejavu-core, openssl, iproute2, pango present."
  exit 0
fi

is_ci() { case "${CI:-}" in [Tt][Rr][Uu][Ee]|1|[Yy][Ee][Ss]) return 0 ;; *) return 1 ;; esac; }

give_up() {
  echo "test-deps: missing ${missing[*]}: $1" >&2
  echo "test-deps: install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  if is_ci; then
    echo "test-deps: CI=true, so this is an error (the tests would otherwise be skipped)." >&2
    exit 1
  fi
  echo "test-deps: continuing; tests needing them will be skipped locally." >&2
  exit 0
}

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif have_cmd sudo && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  give_up "not root and no password-less sudo"
fi
have_cmd apt-get || give_up "apt-get not found (not a Debian/Ubuntu system)"

echo "test-deps: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive

# slapd must not create (and start) a system directory of its own.
echo "slapd slapd/no_configuration boolean true" | "${SUDO[@]}" debconf-set-selections
# samba: no system domain either; the tests provision their own in a temporary folder
# (and policy-rc.d below keeps the packages' services from starting).

# postgresql-common: no system cluster "main" (only if not installed yet, so an
# existing configuration is never touched).
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  "${SUDO[@]}" mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | "${SUDO[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

# Refuse every service start during the installation (the Debian policy-rc.d
# mechanism); remove the file again afterwards if we put it there.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# installed temporarily by faseport scripts/install_test_deps.sh\nexit 101\n' \
    | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  created_policy=true
fi
cleanup() { if $created_policy; then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq \
  --no-install-recommends "${missing[@]}"

# Debian's postgresql does not put initdb on PATH; the tests look in /usr/lib/postgresql.
have_glob '/usr/lib/postgresql/*/bin/initdb' || { echo "test-deps: initdb still missing" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "test-deps: /usr/bin/chromium still missing" >&2; exit 1; }
echo "test-deps: done."

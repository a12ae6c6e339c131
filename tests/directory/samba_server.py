"""A throw-away Samba Active Directory domain controller for the directory tests.

`samba-tool domain provision` is slow (15-45 s even with ldb:nosync), so it runs once
per machine and Samba version into a template folder under the temp directory
(`faseport-samba-<version>-<hash of the provision arguments and the data script>`), which
`data/samba_populate.py` then fills with the test kommune (OUs, people with `manager`,
department and title, nested groups, a disabled account). Every `SambaServer` copies
the template (33 MB, a fraction of a second) and runs `samba --interactive` in the
foreground with its own smb.conf, private, lock, state and cache directories, never as a
system service.

Samba's LDAP server always listens on 389 and 636, so each instance gets a loopback
address of its own (127.x.y.z/32 added to `lo` while it runs and removed afterwards) and
binds only to it: nothing else on the machine is touched. Only the LDAP service runs
(`server services = ldap`); simple binds are allowed over plain ldap:// as well, so that
the same domain can be tested with and without TLS.

Needs root (Samba's DC refuses to run otherwise, and adding an address needs it) and the
Debian packages samba, samba-ad-dc, samba-ad-provision and iproute2.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ldap3 import NONE, SIMPLE, Connection, Server

from tests.directory.slapd_server import _die_with_parent, make_certificates

SAMBA = "/usr/sbin/samba"
SAMBA_TOOL = "/usr/bin/samba-tool"
SYSTEM_PYTHON = "/usr/bin/python3"
SCHEMA_FILE = "/usr/share/samba/setup/ad-schema/AD_DS_Attributes__Windows_Server_2012_R2.ldf"
POPULATE = Path(__file__).with_name("data") / "samba_populate.py"

REALM = "KOMMUNE.TEST"
DOMAIN = "KOMMUNE"
BASE_DN = "DC=kommune,DC=test"
ADMIN_PASSWORD = "Admin-Passord-1!"
ADMIN_UPN = "Administrator@kommune.test"
SERVICE_DN = "CN=svc-faseport,OU=Tjenestekontoer,DC=kommune,DC=test"
SERVICE_PASSWORD = "Tjeneste-Passord-9!"
PASSWORD = "Passord-123!"
START_TIMEOUT = 90.0
#: `samba-tool domain provision` arguments (with the data script, they name the template)
PROVISION_ARGS = [
    f"--realm={REALM}", f"--domain={DOMAIN}", "--server-role=dc", "--dns-backend=NONE",
    f"--adminpass={ADMIN_PASSWORD}", "--host-name=dc1", "--host-ip=127.0.0.1",
    "--option=ldb:nosync = true", "--option=server services = ldap", "--quiet",
]


def missing_tools() -> list[str]:
    """What is missing to run a real Samba AD DC here (empty when all is in place)."""
    missing = []
    for path, package in ((SAMBA, "samba"), (SAMBA_TOOL, "samba-common-bin"),
                          (SCHEMA_FILE, "samba-ad-provision"), (SYSTEM_PYTHON, "python3-samba")):
        if not os.path.exists(path):
            missing.append(f"{path} (apt package {package})")
    if not shutil.which("ip"):
        missing.append("ip (apt package iproute2)")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        missing.append("root (Samba's domain controller runs only as root)")
    return missing


def samba_version() -> str:
    out = subprocess.run([SAMBA, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip().replace("Version ", "").replace(" ", "_")


def template_dir() -> Path:
    """A provisioned, populated domain to copy from; made once per machine and version."""
    digest = hashlib.sha256(repr(PROVISION_ARGS).encode() + POPULATE.read_bytes()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"faseport-samba-{samba_version()}-{digest}"
    if (target / "done").exists():
        return target
    lock_path = target.parent / (target.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test session may be provisioning
        if not (target / "done").exists():
            _provision(target)
    return target


def _provision(target: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="faseport-samba-provision-"))
    try:
        subprocess.run([SAMBA_TOOL, "domain", "provision", f"--targetdir={work}", *PROVISION_ARGS],
                       check=True, capture_output=True, timeout=600)
        conf = work / "etc" / "smb.conf"
        subprocess.run([SYSTEM_PYTHON, str(POPULATE), str(conf)], check=True,
                       capture_output=True, timeout=120)
        (work / "done").write_text("provisioned\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except subprocess.CalledProcessError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise RuntimeError(f"Samba provisioning failed: {error.stderr.decode()[-2000:]}") from None


class SambaServer:
    """One Samba AD DC process on a loopback address of its own."""

    def __init__(self, directory: Path, template: Path, tls_files: tuple[Path, Path, Path]
                 | None = None, address: str | None = None):
        self.directory = directory
        self.address = address or _random_loopback()
        if tls_files is None:
            # Without files of ours Samba generates an RSA key at start, which can take
            # a minute on a busy machine: give it a quick EC certificate instead.
            certificates = make_certificates(directory.parent / "tls", ip=self.address)
            tls_files = (certificates.cert_file, certificates.key_file, certificates.ca_file)
        self.process: subprocess.Popen | None = None
        self.log_file = directory / "samba.out"
        shutil.copytree(template, directory, symlinks=True, dirs_exist_ok=True)
        for stale in ("done",):
            (directory / stale).unlink(missing_ok=True)
        self.conf = directory / "etc" / "smb.conf"
        self.conf.write_text(self._smb_conf(tls_files))
        self._address_added = False

    @property
    def url(self) -> str:
        return f"ldap://{self.address}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://{self.address}"

    def _smb_conf(self, tls_files) -> str:
        d = self.directory
        tls = ""
        if tls_files:
            cert, key, ca = tls_files
            tls = f"\ttls certfile = {cert}\n\ttls keyfile = {key}\n\ttls cafile = {ca}\n"
        return f"""[global]
\tnetbios name = DC1
\trealm = {REALM}
\tworkgroup = {DOMAIN}
\tserver role = active directory domain controller
\tserver services = ldap
\tinterfaces = {self.address}
\tbind interfaces only = yes
\tldap server require strong auth = no
\tldb:nosync = true
\tprivate dir = {d}/private
\tlock directory = {d}
\tstate directory = {d}/state
\tcache directory = {d}/cache
\tpid directory = {d}/run
\tbinddns dir = {d}/bind-dns
\tncalrpc dir = {d}/ncalrpc
\twinbindd socket directory = {d}/winbindd
\tntp signd socket directory = {d}/ntp
\tlog file = {d}/log.%m
\tlogging = file
\tlog level = 1
{tls}
[sysvol]
\tpath = {d}/state/sysvol
\tread only = No

[netlogon]
\tpath = {d}/state/sysvol/kommune.test/scripts
\tread only = No
"""

    # --- life cycle -------------------------------------------------------------
    def start(self) -> None:
        """Add the address, start samba in the foreground, wait until LDAP answers."""
        if not self._address_added:
            _ip("addr", "add", f"{self.address}/32", "dev", "lo")
            self._address_added = True
        for name in ("run", "cache"):
            (self.directory / name).mkdir(exist_ok=True)
        log = open(self.log_file, "ab")
        self.process = subprocess.Popen(
            [SAMBA, "--interactive", "--no-process-group", "--model=single",
             f"--configfile={self.conf}"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"samba exited with {self.process.returncode}: {self._log_tail()}")
            if self._answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"samba did not answer within {START_TIMEOUT} s: {self._log_tail()}")

    def stop(self, keep_address: bool = False) -> None:
        """Stop samba (SIGTERM, then SIGKILL); remove the address unless asked not to."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self._address_added and not keep_address:
            with contextlib.suppress(subprocess.CalledProcessError):
                _ip("addr", "del", f"{self.address}/32", "dev", "lo")
            self._address_added = False

    # --- changing the directory as a domain admin would ---------------------------
    def admin(self) -> Connection:
        """A connection bound as the domain Administrator (for test set-up)."""
        server = Server(self.address, get_info=NONE, connect_timeout=5)
        return Connection(server, ADMIN_UPN, ADMIN_PASSWORD, authentication=SIMPLE,
                          auto_bind=True, receive_timeout=10)

    def _answers(self) -> bool:
        try:
            self.admin().unbind()
        except Exception:  # noqa: BLE001 - not up yet
            return False
        return True

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def _random_loopback() -> str:
    """127.a.b.c outside 127.0.0.0/16 (where other software tends to listen)."""
    return f"127.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(2, 254)}"

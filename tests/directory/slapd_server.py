"""A throw-away OpenLDAP server (slapd) for the directory integration tests.

Each `SlapdServer` gets its own directory with a slapd.conf (mdb backend, the memberof
overlay, TLS with a test CA) and listens on free ports on 127.0.0.1: ldap:// (plain and
StartTLS) and ldaps://. The test data in `data/kommune.ldif` is loaded with ldapadd
through the running server, so that the memberof overlay sees the groups.

Needs the Debian packages slapd, ldap-utils and openssl.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from ldap3 import BASE, NONE, SIMPLE, Connection, Server

SLAPD = "/usr/sbin/slapd"
MODULE_PATH = "/usr/lib/ldap"
SCHEMA_DIR = "/etc/ldap/schema"
DATA_DIR = Path(__file__).with_name("data")
LDIF = DATA_DIR / "kommune.ldif"

SUFFIX = "dc=kommune,dc=no"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "admin-secret"
SERVICE_DN = f"cn=faseport-service,ou=system,{SUFFIX}"
SERVICE_PASSWORD = "service-secret"

START_TIMEOUT = 10.0


def missing_tools() -> list[str]:
    """What is missing to run a real slapd here (empty when everything is installed)."""
    missing = []
    if not os.access(SLAPD, os.X_OK):
        missing.append(f"{SLAPD} (apt package slapd)")
    for module in ("back_mdb.so", "memberof.so"):
        if not os.path.exists(os.path.join(MODULE_PATH, module)):
            missing.append(f"{MODULE_PATH}/{module} (apt package slapd)")
    if not shutil.which("ldapadd"):
        missing.append("ldapadd (apt package ldap-utils)")
    if not shutil.which("openssl"):
        missing.append("openssl (apt package openssl)")
    return missing


def require_slapd() -> None:
    """Skip the calling test when slapd is not installed; in CI (CI=true) fail instead,
    so a broken CI image cannot turn the integration tests into silent skips."""
    missing = missing_tools()
    if not missing:
        return
    message = "real-slapd tests need: " + ", ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Certificates:
    """A test CA, a server certificate it signed, and an unrelated CA."""

    ca_file: Path
    cert_file: Path
    key_file: Path
    #: a CA that did not sign the server certificate (to prove validation happens)
    other_ca_file: Path


def make_certificates(directory: Path, ip: str = "127.0.0.1") -> Certificates:
    """Create the CAs and a server certificate for `ip` and localhost (openssl CLI).

    EC keys: generated in milliseconds, unlike RSA.
    """
    directory.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
            "-subj", "/CN=Faseport test CA")
    openssl("req", "-x509", *ec, "-keyout", "other-ca.key", "-out", "other-ca.crt",
            "-days", "2", "-subj", "/CN=Some other CA")
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (directory / "server.ext").write_text(
        f"subjectAltName=IP:{ip},DNS:localhost\n"
        "basicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
    )
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext")
    return Certificates(
        ca_file=directory / "ca.crt",
        cert_file=directory / "server.crt",
        key_file=directory / "server.key",
        other_ca_file=directory / "other-ca.crt",
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """Run in the child: have the kernel stop slapd if the test run itself is killed."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class SlapdServer:
    """One slapd process with its own database, configuration and ports."""

    def __init__(self, directory: Path, certificates: Certificates):
        self.directory = directory
        self.certificates = certificates
        self.port = free_port()
        self.ldaps_port = free_port()
        self.process: subprocess.Popen | None = None
        (directory / "db").mkdir(parents=True, exist_ok=True)
        self.config_file = directory / "slapd.conf"
        self.config_file.write_text(self._config())
        self.log_file = directory / "slapd.log"

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        # by name, so that the certificate's DNS name is what gets checked
        return f"ldaps://localhost:{self.ldaps_port}"

    def _config(self) -> str:
        certificates = self.certificates
        return f"""\
include {SCHEMA_DIR}/core.schema
include {SCHEMA_DIR}/cosine.schema
include {SCHEMA_DIR}/inetorgperson.schema
modulepath {MODULE_PATH}
moduleload back_mdb
moduleload memberof
pidfile {self.directory}/slapd.pid
argsfile {self.directory}/slapd.args
TLSCACertificateFile {certificates.ca_file}
TLSCertificateFile {certificates.cert_file}
TLSCertificateKeyFile {certificates.key_file}

database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {self.directory}/db
index objectClass,uid,member eq

overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf

# Passwords can only be used to bind; nobody reads them.
access to attrs=userPassword
  by anonymous auth
  by * none
# The service account and signed-in people read the directory; anonymous sees nothing.
access to *
  by dn.exact="{SERVICE_DN}" read
  by users read
  by * none
"""

    # --- life cycle -------------------------------------------------------------
    def start(self) -> None:
        """Start slapd in the foreground (-d 0) and wait until it answers a bind."""
        log = open(self.log_file, "ab")
        self.process = subprocess.Popen(
            [SLAPD, "-d", "0", "-f", str(self.config_file),
             "-h", f"{self.url}/ ldaps://127.0.0.1:{self.ldaps_port}/"],
            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited with {self.process.returncode}: {self._log_tail()}")
            if self._answers():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"slapd did not answer within {START_TIMEOUT} s: {self._log_tail()}")

    def stop(self) -> None:
        """Stop slapd (SIGTERM, then SIGKILL) and wait for it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.thaw()  # a stopped process cannot handle SIGTERM
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def freeze(self) -> None:
        """SIGSTOP: the port stays open but nothing answers (a hung server)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def load(self, ldif: Path = LDIF) -> None:
        """Add the entries of `ldif` as the root DN, through the server."""
        subprocess.run(
            ["ldapadd", "-x", "-H", self.url, "-D", ROOT_DN, "-w", ROOT_PASSWORD, "-f", str(ldif)],
            check=True, capture_output=True, timeout=30,
        )

    # --- helpers for assertions -------------------------------------------------
    def read(self, dn: str, *attributes: str) -> dict[str, list[str]]:
        """Read an entry as the root DN (independently of the code under test)."""
        connection = self._root_connection()
        try:
            connection.search(dn, "(objectClass=*)", BASE, attributes=list(attributes))
            return {name: list(values) for name, values in connection.response[0]["attributes"].items()}
        finally:
            connection.unbind()

    def root(self) -> Connection:
        """A connection bound as the root DN, for changing the directory in a test."""
        return self._root_connection()

    def _root_connection(self) -> Connection:
        server = Server("127.0.0.1", port=self.port, get_info=NONE, connect_timeout=2)
        return Connection(server, ROOT_DN, ROOT_PASSWORD, authentication=SIMPLE,
                          auto_bind=True, receive_timeout=2)

    def _answers(self) -> bool:
        try:
            self._root_connection().unbind()
        except Exception:  # noqa: BLE001 - not up yet
            return False
        return True

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

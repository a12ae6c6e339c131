"""Sign-in time against a real slapd: plain ldap://, StartTLS and ldaps:// side by side.

    .venv/bin/python scripts/bench_signin.py        (also run by `make bench`)

Starts a throw-away slapd with a test CA (tests/directory/slapd_server.py), then signs
`ida` in N times per transport with the production client (search with the service
account, then a bind as the person on a fresh connection, groups and leader), with
TCP_NODELAY as Faseport sets it and without it (Nagle's algorithm on), and prints median
and 95th percentile. The target: StartTLS and ldaps within 2x plain.
"""
from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.directory import connection as connection_module  # noqa: E402
from app.directory.client import Directory  # noqa: E402
from app.directory.settings import DirectorySettings  # noqa: E402
from tests.directory.slapd_server import (  # noqa: E402
    SERVICE_DN, SERVICE_PASSWORD, SUFFIX, SlapdServer, make_certificates, missing_tools,
)

ROUNDS = 60
WARM_UP = 5


def main() -> int:
    missing = missing_tools()
    if missing:
        print("bench_signin: needs " + ", ".join(missing), file=sys.stderr)
        return 1
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="faseport-bench-signin-") as tmp:
        certificates = make_certificates(Path(tmp) / "tls")
        server = SlapdServer(Path(tmp) / "slapd", certificates)
        server.start()
        try:
            server.load()
            transports = {
                "ldap://": {"LDAP_URL": server.url},
                "StartTLS": {"LDAP_URL": f"ldap://localhost:{server.port}", "LDAP_START_TLS": True},
                "ldaps://": {"LDAP_URL": server.ldaps_url},
            }
            directories = {(name, nodelay): directory_for(settings, str(certificates.ca_file))
                           for name, settings in transports.items() for nodelay in (True, False)}
            results: dict = {key: [] for key in directories}
            # Round-robin, so that load from elsewhere on the machine hits every column alike.
            for round_ in range(WARM_UP + ROUNDS):
                for key, directory in directories.items():
                    elapsed = sign_in_once(directory, nodelay=key[1])
                    if round_ >= WARM_UP:
                        results[key].append(elapsed)
        finally:
            server.stop()

    print(f"\nSign-in against slapd on 127.0.0.1 (ms, {ROUNDS} sign-ins each: search, bind, groups, leader)")
    print(f"{'':24}{'ldap://':>18}{'StartTLS':>18}{'ldaps://':>18}")
    for nodelay, label in ((True, "TCP_NODELAY (Faseport)"), (False, "Nagle on (before)")):
        cells = "".join(f"{_cell(results[name, nodelay]):>18}" for name in transports)
        print(f"{label:24}{cells}")
    plain = statistics.median(results["ldap://", True])
    worst = max(statistics.median(results[name, True]) for name in ("StartTLS", "ldaps://"))
    ratio = worst / plain
    verdict = "OK" if ratio <= 2 else "TOO SLOW"
    print(f"TLS / plain (median, with TCP_NODELAY): {ratio:.1f}x  target <= 2x: {verdict}")
    return 0 if ratio <= 2 else 1


def directory_for(overrides: dict, ca_file: str) -> Directory:
    config = {"LDAP_DIALECT": "openldap", "LDAP_BASE_DN": SUFFIX, "LDAP_BIND_DN": SERVICE_DN,
              "LDAP_BIND_PASSWORD": SERVICE_PASSWORD, "LDAP_CA_FILE": ca_file, "LDAP_TIMEOUT": 5,
              "LDAP_ROLE_GROUPS": {"ikt": f"cn=faseport-ikt,ou=groups,{SUFFIX}"}, **overrides}
    return Directory(DirectorySettings.from_config(config), logger=logging.getLogger("bench"))


def sign_in_once(directory: Directory, nodelay: bool) -> float:
    """Milliseconds for one sign-in; without `nodelay`, as before TCP_NODELAY was set."""
    original = connection_module.no_delay
    if not nodelay:
        connection_module.no_delay = lambda connection: None
    try:
        started = time.perf_counter()
        directory.authenticate("ida", "ida-passord")
        return (time.perf_counter() - started) * 1000
    finally:
        connection_module.no_delay = original


def _cell(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"{statistics.median(ordered):5.1f} (p95 {p95:5.1f})"


if __name__ == "__main__":
    sys.exit(main())

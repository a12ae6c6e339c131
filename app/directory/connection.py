"""Opening connections to a real directory server: Server, TLS and Connection options.

One connection per operation, never a shared global one: a long-lived connection breaks
silently when a domain controller restarts or a firewall drops idle sessions, while a
fresh one works again as soon as the directory is back.
"""
from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from ldap3 import AUTO_BIND_NONE, NONE, SIMPLE, SYNC, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException

from app.directory import DirectoryUnavailable
from app.directory.settings import DirectorySettings

def build_tls(settings: DirectorySettings) -> Tls | None:
    """The TLS settings for ldaps:// and StartTLS, or None for a plain ldap:// URL.

    The certificate is checked against LDAP_CA_FILE, or the system's CA store when it is
    empty, and the host name is checked by ldap3 after the handshake. `version=None`
    makes ldap3 use `ssl.create_default_context()`, which on Python 3.10+ refuses
    anything older than TLS 1.2 (a unit test guards this). LDAP_TLS_INSECURE turns
    certificate checking off; the client logs a warning about it at start-up.
    """
    if not (settings.use_ssl or settings.start_tls):
        return None
    return Tls(
        validate=ssl.CERT_NONE if settings.tls_insecure else ssl.CERT_REQUIRED,
        ca_certs_file=settings.ca_file or None,
        version=None,
        # SNI lets a load balancer or a multi-name server pick the right certificate.
        sni=None if settings.host_is_ip else settings.host,
    )


@contextmanager
def unavailable_on_error(what: str) -> Iterator[None]:
    """Turn network, timeout and TLS failures inside the block into DirectoryUnavailable.

    With `raise_exceptions=False` the ldap3 exceptions that still escape are exactly the
    ones about the transport (socket, timeout, TLS, session closed by the server).
    """
    try:
        yield
    except LDAPException as error:
        raise DirectoryUnavailable(f"{what}: {type(error).__name__}: {error}") from error
    except (OSError, ssl.SSLError, socket.timeout) as error:
        raise DirectoryUnavailable(f"{what}: {type(error).__name__}: {error}") from error


class LdapConnector:
    """Builds connections to the server named by LDAP_URL."""

    #: ldap3 sends escaped filter values faithfully to a real server
    literal_filters = True

    def __init__(self, settings: DirectorySettings):
        self.settings = settings
        self._tls = build_tls(settings)

    def open(self, user: str | None, password: str | None) -> Connection:
        """An open connection (encrypted first when StartTLS is configured), not yet bound.

        Raises DirectoryUnavailable when the server cannot be reached or StartTLS fails;
        in that case nothing has been sent in clear text beyond the StartTLS request.
        """
        settings = self.settings
        server = Server(
            settings.host,
            port=settings.port,
            use_ssl=settings.use_ssl,
            tls=self._tls,
            get_info=NONE,  # no schema/root DSE read: faster, and no schema-based surprises
            connect_timeout=settings.timeout,
        )
        connection = Connection(
            server,
            user=user,
            password=password,
            authentication=SIMPLE,  # never SASL/NTLM, never an anonymous fallback
            client_strategy=SYNC,
            auto_bind=AUTO_BIND_NONE,  # we bind explicitly, after StartTLS
            read_only=True,
            # Results are checked one by one (sizeLimitExceeded is a normal outcome of the
            # people search); transport failures still raise.
            raise_exceptions=False,
            receive_timeout=settings.timeout,
            auto_referrals=False,  # never follow a referral to a server we did not choose
        )
        with unavailable_on_error(f"connecting to {settings.host}:{settings.port}"):
            try:
                connection.open()
                if settings.start_tls and not connection.start_tls(read_server_info=False):
                    raise DirectoryUnavailable("StartTLS was refused by the server")
            except BaseException:
                close_quietly(connection)
                raise
        return connection


def close_quietly(connection: Connection) -> None:
    """Unbind and close, ignoring errors: the connection may already be gone."""
    try:
        connection.unbind()
    except Exception:  # noqa: BLE001 - closing must never hide the real error
        pass

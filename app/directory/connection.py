"""Opening connections to a real directory server: Server, TLS and Connection options.

One connection per operation, never a shared global one: a long-lived connection breaks
silently when a domain controller restarts or a firewall drops idle sessions, while a
fresh one works again as soon as the directory is back.
"""
from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ldap3 import (
    AUTO_BIND_NONE, FIRST, NONE, SIMPLE, SYNC, Connection, Server, ServerPool, Tls,
    set_config_parameter,
)
from ldap3.core.exceptions import LDAPException
from ldap3.core.tls import check_hostname

from app.directory import DirectoryUnavailable
from app.directory.settings import DirectorySettings, ServerAddress

#: a server that did not answer is tried after the others for this many seconds
OFFLINE_SECONDS = 30
#: rounds over the whole list of servers before giving up (a short retry)
POOL_ROUNDS = 2
#: pause between two rounds, in seconds (ldap3's POOLING_LOOP_TIMEOUT, 10 by default)
POOL_PAUSE_SECONDS = 0.5


def build_tls(settings: DirectorySettings, server: ServerAddress | None = None) -> Tls | None:
    """The TLS settings for ldaps:// and StartTLS, or None for a plain ldap:// URL.

    The certificate is checked against LDAP_CA_FILE, or the system's CA store when it is
    empty, and the host name is checked by ldap3 after the handshake. `version=None`
    makes ldap3 use `ssl.create_default_context()`, which on Python 3.10+ refuses
    anything older than TLS 1.2 (a unit test guards this). LDAP_TLS_INSECURE turns
    certificate checking off; the client logs a warning about it at start-up.
    """
    server = server or settings.first_server
    if not (server.use_ssl or settings.start_tls):
        return None
    return ReusedContextTls(
        validate=ssl.CERT_NONE if settings.tls_insecure else ssl.CERT_REQUIRED,
        ca_certs_file=settings.ca_file or None,
        version=None,
        # SNI lets a load balancer or a multi-name server pick the right certificate.
        sni=None if server.host_is_ip else server.host,
    )


class ReusedContextTls(Tls):
    """ldap3's Tls, but with one SSLContext for all connections instead of a new one each.

    ldap3 builds a fresh context, and so reads the CA bundle again, for every wrapped
    socket: a few milliseconds per connection (much more with the system store), twice
    per sign-in. The context is immutable once built and safe to share between threads;
    the host name is still checked after each handshake exactly as ldap3 does.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._context: ssl.SSLContext | None = None
        self._context_lock = threading.Lock()

    def _ssl_context(self) -> ssl.SSLContext:
        with self._context_lock:
            if self._context is None:
                context = ssl.create_default_context(
                    purpose=ssl.Purpose.SERVER_AUTH, cafile=self.ca_certs_file,
                    capath=self.ca_certs_path, cadata=self.ca_certs_data)
                context.check_hostname = False  # ldap3's check_hostname below, as in ldap3
                context.verify_mode = self.validate
                self._context = context
            return self._context

    def wrap_socket(self, connection, do_handshake=False):
        wrapped = self._ssl_context().wrap_socket(
            connection.socket, server_side=False, do_handshake_on_connect=do_handshake,
            server_hostname=self.sni or None)
        if do_handshake and self.validate in (ssl.CERT_REQUIRED, ssl.CERT_OPTIONAL):
            check_hostname(wrapped, connection.server.host, self.valid_names)
        connection.socket = wrapped


def no_delay(connection: Connection) -> None:
    """Send each LDAP message at once (TCP_NODELAY).

    ldap3 writes a request as soon as it is encoded; with Nagle's algorithm on, a small
    write that follows another one (the TLS Finished and the bind, say) waits for the
    server's delayed ACK, about 40 ms each time: over TLS that made a sign-in take
    115 ms instead of 20. Set right after the TCP connect, before StartTLS or the bind.
    """
    sock = getattr(connection, "socket", None)
    if sock is None:
        return
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not TCP (a test double) or already closed: nothing to speed up
        pass


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
    """Builds connections to the servers named by LDAP_URL.

    With several servers, ldap3's ServerPool picks the first one that accepts a
    connection (FIRST strategy), skips one that failed for OFFLINE_SECONDS, and goes
    round the list POOL_ROUNDS times before the directory counts as unavailable.
    """

    #: ldap3 sends escaped filter values faithfully to a real server
    literal_filters = True

    def __init__(self, settings: DirectorySettings):
        self.settings = settings
        set_config_parameter("POOLING_LOOP_TIMEOUT", POOL_PAUSE_SECONDS)
        #: server label -> monotonic time until which it counts as down (shared by threads)
        self._down_until: dict[str, float] = {}
        #: one Tls (and so one SSLContext) per server, kept for the life of the app
        self._tls = {address.label: build_tls(settings, address) for address in settings.servers}
        self._lock = threading.Lock()

    def _server(self, address: ServerAddress) -> Server:
        # A new Server per connection: ldap3 remembers a failed address on the Server
        # object for several seconds, which would delay noticing that it is back.
        return Server(
            address.host,
            port=address.port,
            use_ssl=address.use_ssl,
            tls=self._tls.get(address.label),
            get_info=NONE,  # no schema/root DSE read: faster, and no schema-based surprises
            connect_timeout=self.settings.timeout,
        )

    def open(self, user: str | None, password: str | None) -> Connection:
        """An open connection to the first server that answers (encrypted first when
        StartTLS is configured), not yet bound.

        Servers that failed in the last OFFLINE_SECONDS are tried last, so a dead first
        domain controller costs one failed connect, not one per sign-in.

        Raises DirectoryUnavailable when no server can be reached or StartTLS fails;
        in that case nothing has been sent in clear text beyond the StartTLS request.
        """
        addresses = self._in_order()
        servers = [self._server(address) for address in addresses]
        pool = ServerPool(servers, pool_strategy=FIRST, active=POOL_ROUNDS, exhaust=False)
        try:
            connection = self._open(pool, user, password, "the directory")
        except DirectoryUnavailable:
            self._mark(addresses, None)
            raise
        chosen = next(i for i, server in enumerate(servers) if server is connection.server)
        self._mark(addresses, chosen)
        return connection

    def open_server(self, index: int, user: str | None = None, password: str | None = None
                    ) -> Connection:
        """An open connection to exactly the `index`-th server (for /healthz and checks)."""
        address = self.settings.servers[index]
        return self._open(self._server(address), user, password, address.label)

    def _in_order(self) -> list[ServerAddress]:
        now = time.monotonic()
        addresses = list(self.settings.servers)
        with self._lock:
            down = {label for label, until in self._down_until.items() if until > now}
        return sorted(addresses, key=lambda address: address.label in down)  # stable

    def _mark(self, addresses: list[ServerAddress], chosen: int | None) -> None:
        """Servers before the one that answered did not: remember that for a while."""
        now = time.monotonic()
        with self._lock:
            for index, address in enumerate(addresses):
                if chosen is None or index < chosen:
                    self._down_until[address.label] = now + OFFLINE_SECONDS
                elif index == chosen:
                    self._down_until.pop(address.label, None)

    def _open(self, target, user, password, what: str) -> Connection:
        settings = self.settings
        connection = Connection(
            target,
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
        with unavailable_on_error(f"connecting to {what}"):
            try:
                connection.open()
                no_delay(connection)
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
    # ldap3's ServerPool keeps every connection it served in a dict for ever: forget it,
    # or a long-running worker would hold on to every connection it ever opened.
    pool = getattr(connection, "server_pool", None)
    if pool is not None:
        pool.pool_states.pop(connection, None)


def describe_result(result) -> str:
    """An LDAP result for the log: code, name and the server's diagnostic message."""
    result = result or {}
    code, name, message = result.get("result"), result.get("description"), result.get("message")
    return f"{code} {name} {message or ''}".strip()

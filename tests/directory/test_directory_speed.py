"""What makes TLS sign-in fast: no Nagle wait on the directory sockets, one SSL context
for every connection, one TLS handshake per sign-in. (Times are measured in
`make bench`, scripts/bench_signin.py, never here.)"""
from __future__ import annotations

import socket

import pytest

from app.directory.connection import close_quietly


@pytest.mark.parametrize("transport", ["plain", "starttls", "ldaps"])
def test_every_directory_socket_sends_without_delay(slapd, slapd_make, slapd_certificates,
                                                    transport):
    overrides = {
        "plain": {},
        "starttls": {"LDAP_URL": f"ldap://localhost:{slapd.port}", "LDAP_START_TLS": True},
        "ldaps": {"LDAP_URL": slapd.ldaps_url},
    }[transport]
    directory = slapd_make(LDAP_CA_FILE=str(slapd_certificates.ca_file), **overrides)
    connection = directory._connector.open(None, None)
    try:
        assert connection.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        close_quietly(connection)


def test_one_ssl_context_serves_every_connection(slapd, slapd_make, slapd_certificates):
    directory = slapd_make(LDAP_URL=slapd.ldaps_url, LDAP_CA_FILE=str(slapd_certificates.ca_file))
    contexts = set()
    for _ in range(3):
        connection = directory._connector.open(None, None)
        contexts.add(id(connection.socket.context))
        close_quietly(connection)
    assert len(contexts) == 1
    assert directory.authenticate("ida", "ida-passord").username == "ida"

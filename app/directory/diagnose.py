"""`flask directory check [USERNAME]`: each step of a sign-in, tried and told in plain words.

What an IT department runs first: it says which step fails — reaching each server, TLS
and its certificate, the service account's bind, the user search (and how many entries
it found), the groups and the Faseport roles they give, and the `manager`.
"""
from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ldap3 import BASE, SUBTREE
from ldap3.core.exceptions import LDAPException

from app.directory import DirectoryUnavailable
from app.directory.connection import close_quietly
from app.directory.entries import first_text
from app.directory.escaping import filter_value, has_filter_metacharacters, user_filter
from app.directory.roles import clean_dn, roles_for_groups
from app.directory.settings import AD

if TYPE_CHECKING:
    from app.directory.client import Directory


@dataclass(frozen=True)
class Step:
    """One line of the report: ok True (worked), False (failed) or None (just information)."""

    ok: bool | None
    text: str

    def line(self) -> str:
        mark = {True: "[OK]  ", False: "[FEIL]", None: "[INFO]"}[self.ok]
        return f"{mark} {self.text}"


def check(directory: Directory, username: str | None = None,
          password_prompt: Callable[[], str] | None = None) -> list[Step]:
    """Run the checks; stops at the first step that makes the rest meaningless."""
    settings = directory.settings
    steps: list[Step] = []
    if settings.is_demo:
        steps.append(Step(None, "LDAP_URL=demo: den innebygde demokatalogen (ingen server)."))
    else:
        steps.append(Step(None, f"Katalog: {settings.dialect}, LDAP_BASE_DN={settings.base_dn}, "
                                f"{len(settings.servers)} server(e)."))
        reachable = 0
        for index, server in enumerate(settings.servers):
            server_steps = _check_server(directory, index)
            steps.extend(server_steps)
            reachable += all(step.ok is not False for step in server_steps)
        if not reachable:
            steps.append(Step(False, "Ingen server svarer; resten kan ikke prøves."))
            return steps
    if not settings.has_service_account:
        steps.append(Step(None, "Ingen tjenestekonto (LDAP_BIND_DN): innlogging binder direkte "
                                "som personen, og personsøket er av."))
        if username and password_prompt is not None:
            steps.extend(_check_direct_sign_in(directory, username, password_prompt()))
        return steps
    try:
        with directory._service_connection() as connection:
            steps.append(Step(True, f"Tjenestekontoen {settings.bind_dn} logget inn."))
            steps.extend(_check_role_groups(directory, connection))
            if username:
                steps.extend(_check_user(directory, connection, username))
    except DirectoryUnavailable as error:
        steps.append(Step(False, f"Tjenestekontoen {settings.bind_dn} kom ikke inn: {error}. "
                                 "Sjekk LDAP_BIND_DN og LDAP_BIND_PASSWORD."))
    return steps


def _check_server(directory: Directory, index: int) -> list[Step]:
    settings = directory.settings
    server = settings.servers[index]
    try:
        with socket.create_connection((server.host, server.port), timeout=settings.timeout):
            pass
    except OSError as error:
        return [Step(False, f"Får ikke kontakt med {server.label}: {_os_reason(error)}.")]
    steps = [Step(True, f"Kontakt med {server.label}.")]
    tls = "ldaps" if server.use_ssl else ("StartTLS" if settings.start_tls else None)
    try:
        connection = directory._connector.open_server(index)
    except DirectoryUnavailable as error:
        cause = error.__cause__
        if tls and (_is_tls_error(cause) or "StartTLS" in str(error)):
            ca = settings.ca_file or "systemets CA-liste"
            steps.append(Step(False, f"TLS ({tls}) mot {server.label} feilet: {_tls_reason(cause)}. "
                                     f"Sertifikatet må være utstedt av en CA i {ca} og gjelde "
                                     f"navnet {server.host}."))
        else:
            steps.append(Step(False, f"{server.label} svarer ikke på LDAP: {error}."))
        return steps
    close_quietly(connection)
    if tls:
        checked = "IKKE kontrollert (LDAP_TLS_INSECURE=1)" if settings.tls_insecure else "godkjent"
        steps.append(Step(True, f"TLS ({tls}) mot {server.label}; sertifikatet er {checked}."))
    else:
        steps.append(Step(None, f"{server.label} uten TLS: passord går ukryptert over nettet."))
    return steps


def _check_role_groups(directory: Directory, connection) -> list[Step]:
    settings = directory.settings
    if not settings.role_groups:
        return [Step(None, "LDAP_ROLE_GROUPS er tom: ingen får roller fra katalogen.")]
    steps = []
    for role, dns in settings.role_groups.items():
        for dn in dns:
            found = directory._search(connection, clean_dn(dn), "(objectClass=*)", ["1.1"],
                                      scope=BASE)
            if found:
                steps.append(Step(True, f"Rollegruppen for «{role}» finnes: {dn}."))
            else:
                steps.append(Step(False, f"Rollegruppen for «{role}» finnes ikke (eller kan ikke "
                                         f"leses av tjenestekontoen): {dn}."))
    return steps


def _check_user(directory: Directory, connection, username: str) -> list[Step]:
    settings = directory.settings
    if not directory._connector.literal_filters and has_filter_metacharacters(username):
        return [Step(False, f"Brukernavnet «{username}» inneholder tegn som ikke kan søkes på.")]
    search_filter = user_filter(settings.user_filter, username)
    entries = directory._search(connection, settings.base_dn, search_filter,
                                directory._person_attributes(), scope=SUBTREE, size_limit=3)
    if not entries:
        return [Step(False, f"Søket etter «{username}» fant ingen under {settings.base_dn} med "
                            f"filteret {search_filter}. Sjekk LDAP_BASE_DN og LDAP_USER_FILTER "
                            f"(og om kontoen er deaktivert).")]
    if len(entries) > 1:
        return [Step(False, f"Søket etter «{username}» fant {len(entries)} personer; det må være "
                            f"nøyaktig én. Stram inn LDAP_USER_FILTER.")]
    entry = entries[0]
    steps = [Step(True, f"Søket etter «{username}» fant 1 person: {entry['dn']}.")]
    steps.append(_identity_step(directory, entry))
    groups = _all_groups(directory, connection, entry)
    roles = roles_for_groups(groups, settings.role_groups)
    shown = "; ".join(sorted(groups, key=str.lower)) or "ingen"
    steps.append(Step(None, f"Grupper ({len(groups)}): {shown}."))
    steps.append(Step(None, "Roller i Faseport: "
                            + (", ".join(sorted(roles)) if roles else "ingen (vanlig ansatt)") + "."))
    steps.append(_manager_step(directory, connection, entry))
    return steps


def _check_direct_sign_in(directory: Directory, username: str, password: str) -> list[Step]:
    from app.directory import AuthenticationFailed

    try:
        person = directory.authenticate(username, password)
    except AuthenticationFailed as error:
        return [Step(False, f"Innlogging som «{username}» ble avvist: {error.reason}.")]
    except DirectoryUnavailable as error:
        return [Step(False, f"Innlogging som «{username}» feilet: {error}.")]
    return [
        Step(True, f"Innlogging som «{username}» virket: {person.display_name}, "
                   f"id {person.directory_id}."),
        Step(None, "Roller i Faseport: " + (", ".join(sorted(person.roles)) or "ingen") + "."),
        Step(None if person.leader_username else False,
             f"Leder (manager): {person.leader_username or 'ikke funnet'}."),
    ]


def _identity_step(directory: Directory, entry: dict) -> Step:
    from app.directory.entries import directory_id

    settings = directory.settings
    identifier = directory_id(entry, settings.id_attribute)
    if not identifier:
        return Step(False, f"Personen mangler {settings.id_attribute}; Faseport kan ikke kjenne "
                           f"henne igjen (tjenestekontoen må kunne lese attributtet).")
    return Step(True, f"{settings.id_attribute}: {identifier} (nøkkelen Faseport kjenner personen på).")


def _all_groups(directory: Directory, connection, entry: dict) -> list[str]:
    if directory.settings.dialect == AD:
        search_filter = (f"(&(objectClass=group)"
                         f"(member:1.2.840.113556.1.4.1941:={filter_value(entry['dn'])}))")
        found = directory._search(connection, directory._group_base, search_filter, ["1.1"])
        return [item["dn"] for item in found]
    return directory._openldap_groups(connection, entry)


def _manager_step(directory: Directory, connection, entry: dict) -> Step:
    manager = first_text(entry, "manager")
    if not manager:
        return Step(None, "Ingen leder (manager) er satt for personen.")
    leader = directory._leader_username(connection, manager, {})
    if leader is None:
        return Step(False, f"Lederen {manager} kunne ikke slås opp (finnes ikke, eller ligger "
                           f"utenfor LDAP_BASE_DN).")
    return Step(True, f"Leder (manager): {leader} ({manager}).")


def _is_tls_error(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, ssl.SSLError) or "ssl" in type(error).__name__.lower():
            return True
        if isinstance(error, LDAPException) and (
                "certificate" in str(error).lower() or "ssl" in str(error).lower()):
            return True
        error = error.__cause__ or error.__context__
    return False


def _tls_reason(error: BaseException | None) -> str:
    text = str(error) if error is not None else "ukjent feil"
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return f"sertifikatet ble ikke godkjent ({text})"
    if "hostname" in text.lower() or "doesn't match" in text:
        return f"sertifikatet gjelder ikke dette navnet ({text})"
    return text


def _os_reason(error: OSError) -> str:
    if isinstance(error, socket.timeout):
        return "ingen svar (tidsavbrudd)"
    if isinstance(error, ConnectionRefusedError):
        return "tilkoblingen ble avvist (ingen tjeneste på porten)"
    if isinstance(error, socket.gaierror):
        return "navnet finnes ikke i DNS"
    return str(error)

"""Fill a freshly provisioned (not running) Samba AD with the test kommune.

Run by tests/directory/samba_server.py with Debian's /usr/bin/python3 (Samba's own
Python bindings), never by pytest:

    /usr/bin/python3 samba_populate.py /path/to/smb.conf

Everything happens offline on sam.ldb, in one process, in about a second.
"""
from __future__ import annotations

import sys

import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

BASE = "DC=kommune,DC=test"
PASSWORD = "Passord-123!"
SERVICE_PASSWORD = "Tjeneste-Passord-9!"

#: OU path below BASE
OUS = ["OU=Ansatte", "OU=Helse,OU=Ansatte", "OU=Stab,OU=Ansatte", "OU=IKT,OU=Ansatte",
       "OU=Grupper", "OU=Tjenestekontoer"]

#: username, given, surname, OU, department, title, manager username
PEOPLE = [
    ("randi", "Randi", "Strand", "OU=Stab,OU=Ansatte", "Rådmannens stab", "kommunedirektør", None),
    ("ola", "Ola", "Nordmann", "OU=Helse,OU=Ansatte", "Helse og omsorg", "kommunalsjef", "randi"),
    ("ida", "Ida", "Berg", "OU=Helse,OU=Ansatte", "Helse og omsorg", "sykepleier", "ola"),
    ("kari", "Kari", "Nordmann", "OU=Stab,OU=Ansatte", "Rådmannens stab", "rådgiver", "randi"),
    ("per", "Per", "Hansen", "OU=IKT,OU=Ansatte", "IKT", "systemkonsulent", "randi"),
    ("lise", "Lise", "Johansen", "OU=Stab,OU=Ansatte", "Rådmannens stab",
     "digitaliseringsrådgiver", "randi"),
    ("ase", "Åse", "Øvrebø", "OU=Helse,OU=Ansatte", "Helse og omsorg", "fagleder", "ola"),
    ("tor", "Tor", "Slutter", "OU=Helse,OU=Ansatte", "Helse og omsorg", "sykepleier", "ola"),
    ("laast", "Lars", "Låst", "OU=Helse,OU=Ansatte", "Helse og omsorg", "sykepleier", "ola"),
]

#: group -> members (people or groups); IKT-drift sits inside IKT-avdelingen (nesting)
GROUPS = {
    "Faseport-admin": [],
    "IKT-avdelingen": ["IKT-drift"],
    "IKT-drift": ["per"],
    "Personvernombud": [],
    "Digitaliseringsradet": ["lise"],
    # the README's owner group (issue 8): ase leads nobody in the directory, yet may own
    "Faseport-prosjekteiere": ["ase"],
}


def main(smb_conf: str) -> None:
    lp = LoadParm()
    lp.load(smb_conf)
    samdb = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    samdb.transaction_start()
    try:
        for ou in OUS:
            samdb.create_ou(f"{ou},{BASE}")
        samdb.newuser("svc-faseport", SERVICE_PASSWORD, userou="OU=Tjenestekontoer",
                      givenname="Faseport", surname="Tjeneste")
        for username, given, surname, ou, department, title, _manager in PEOPLE:
            samdb.newuser(username, PASSWORD, givenname=given, surname=surname, userou=ou,
                          department=department, jobtitle=title,
                          mailaddress=f"{username}@kommune.test")
            _set(samdb, username, displayName=f"{given} {surname}")
        for username, *_rest, manager in PEOPLE:
            if manager:
                _set(samdb, username, manager=_dn(samdb, manager))
        for group in GROUPS:
            samdb.newgroup(group, groupou="OU=Grupper")
        for group, members in GROUPS.items():
            if members:
                samdb.add_remove_group_members(group, members, add_members_operation=True)
        samdb.disable_account("(sAMAccountName=tor)")
        # Lock an account after 3 wrong passwords (for the 775 sub-code test).
        message = ldb.Message(ldb.Dn(samdb, BASE))
        message["lockoutThreshold"] = ldb.MessageElement("3", ldb.FLAG_MOD_REPLACE,
                                                         "lockoutThreshold")
        samdb.modify(message)
    except BaseException:
        samdb.transaction_cancel()
        raise
    samdb.transaction_commit()


def _dn(samdb: SamDB, username: str) -> str:
    found = samdb.search(BASE, ldb.SCOPE_SUBTREE, f"(sAMAccountName={username})", ["dn"])
    return str(found[0].dn)


def _set(samdb: SamDB, username: str, **values: str) -> None:
    message = ldb.Message(ldb.Dn(samdb, _dn(samdb, username)))
    for name, value in values.items():
        message[name] = ldb.MessageElement(value, ldb.FLAG_MOD_REPLACE, name)
    samdb.modify(message)


if __name__ == "__main__":
    main(sys.argv[1])

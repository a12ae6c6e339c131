"""Active Directory's sub-codes for a refused bind.

AD answers every refused simple bind with invalidCredentials (49) and puts the real
reason in the diagnostic message, e.g. `80090308: LdapErr: DSID-0C09044E, comment:
AcceptSecurityContext error, data 775, v4563`. The reason goes to the log so that the
help desk can tell a typo from a locked or disabled account; it is never shown to the
person signing in.
"""
from __future__ import annotations

import re

#: AD bind sub-code -> what it means
AD_BIND_SUBCODES = {
    "525": "user not found",
    "52e": "invalid credentials",
    "530": "not permitted to log on at this time",
    "531": "not permitted to log on at this workstation",
    "532": "password expired",
    "533": "account disabled",
    "568": "too many security ids",
    "701": "account expired",
    "773": "password must be reset",
    "775": "account locked",
}

_SUBCODE = re.compile(r"\bdata\s+([0-9a-fA-F]{3,4})\b")


def ad_subcode(message: str | None) -> str | None:
    """The sub-code (`52e`, `775`, ...) in an AD diagnostic message, or None."""
    match = _SUBCODE.search(message or "")
    return match.group(1).lower() if match else None


def invalid_credentials_reason(message: str | None) -> str:
    """A log-friendly reason for an invalidCredentials result, e.g. `775 account locked`."""
    code = ad_subcode(message)
    if code is None:
        return "invalid credentials"
    return f"{code} {AD_BIND_SUBCODES.get(code, 'unknown AD sub-code')}"

"""The real directory servers for the README's OpenLDAP and Active Directory examples
(the same fixtures as tests/directory, started once more for this folder)."""
from tests.directory.conftest import (  # noqa: F401 - fixtures
    samba,
    samba_template,
    samba_tls,
    slapd,
    slapd_certificates,
)

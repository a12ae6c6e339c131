"""The project roles as the roles tab explains them (after DOMAIN.md and the Askøy
project plan)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.models import MEMBER_ROLES


@dataclass(frozen=True)
class RoleInfo:
    """A project role as the roles tab explains it."""

    code: str
    label: str
    #: what the person signs up for (after DOMAIN.md and the Askøy project plan)
    description: str
    #: how many people the role takes
    how_many: str
    #: the label in "Legg til …" and in the history
    noun: str


#: every role, in the order shown; owner and manager first
ROLES: tuple[RoleInfo, ...] = (
    RoleInfo("owner", _l("Prosjekteier"),
             _l("Oppdragsgiver og øverste beslutningstaker. Godkjenner beslutningspunktene, "
                "budsjettet og endringer utenfor mandatet, og sørger for at prosjektets mål "
                "støtter kommunens behov og strategi."),
             _l("Nøyaktig én"), _l("prosjekteier")),
    RoleInfo("manager", _l("Prosjektleder"),
             _l("Leder prosjektet fra dag til dag: følger opp milepæler, kvalitet, tid og "
                "budsjett, leder prosjektgruppen og rapporterer til prosjekteier. Kan ikke være "
                "samme person som prosjekteier."),
             _l("Høyst én"), _l("prosjektleder")),
    RoleInfo("steering_group", _l("Styringsgruppe"),
             _l("Ledes av prosjekteier. Lederne for enhetene som berøres, og gjerne "
                "tillitsvalgte og verneombud. Sikrer helheten, følger fremdriften, sørger for "
                "ressurser og forankring i linjen, og gir prosjekteier råd ved "
                "beslutningspunktene."),
             _l("Flere, ledet av prosjekteier"), _l("medlem av styringsgruppen")),
    RoleInfo("benefits_owner", _l("Gevinstansvarlig"),
             _l("En leder i linjen, nær der gevinstene skal tas ut. Eier "
                "gevinstrealiseringsplanen og følger opp målingene også etter at prosjektet er "
                "overlevert. Er ingen utnevnt, er prosjekteier ansvarlig."),
             _l("Én eller flere"), _l("gevinstansvarlig")),
    RoleInfo("technical_lead", _l("Teknisk ansvarlig"),
             _l("IKT-siden av prosjektet: tilganger, testmiljø, integrasjoner, kontakt med "
                "leverandøren og trygg drift."),
             _l("Etter behov"), _l("teknisk ansvarlig")),
    RoleInfo("domain_lead", _l("Fagansvarlig"),
             _l("Fagperson og superbruker i løsningen som innføres. Har ansvar for opplæringen "
                "og for at løsningen passer arbeidet i tjenesten."),
             _l("Etter behov"), _l("fagansvarlig")),
    RoleInfo("communications", _l("Kommunikasjonsansvarlig"),
             _l("Eier kommunikasjonsplanen og sørger for at rett informasjon når rett person "
                "til rett tid."),
             _l("Etter behov"), _l("kommunikasjonsansvarlig")),
    RoleInfo("change_agent", _l("Endringsagenter"),
             _l("Kolleger i tjenesten som hjelper andre å ta i bruk nye arbeidsmåter, og som "
                "gir prosjektet tilbakemelding fra hverdagen."),
             _l("Én eller flere"), _l("endringsagent")),
    RoleInfo("member", _l("Prosjektdeltakere"),
             _l("Utfører aktiviteter og oppgaver etter planen, deltar i prosjektmøtene, bidrar "
                "med innspill og rapporterer status til prosjektleder."),
             _l("Én eller flere"), _l("prosjektdeltaker")),
    RoleInfo("reference", _l("Referansegruppe"),
             _l("Brukere, pårørende, tillitsvalgte og verneombud som prosjektet rådfører seg "
                "med. Gir råd, men tar ikke beslutninger."),
             _l("Etter behov"), _l("medlem av referansegruppen")),
)
ROLE_BY_CODE = {r.code: r for r in ROLES}
assert set(MEMBER_ROLES) == set(ROLE_BY_CODE) - {"owner", "manager"}

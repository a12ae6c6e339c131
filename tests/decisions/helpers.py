"""Building a project that stands before a gate, and reading a PDF as an archive would."""
from __future__ import annotations

import io
from datetime import date

import pikepdf

from app.extensions import db
from app.models import GateRequest, PlanGoal, ProjectMember, ProjectPlan
from app.models.economy import BudgetLine, FundingSource
from tests.gates.flow import make_project

#: A4 in PDF points
A4 = (595.0, 842.0)


def project_before(users, gate: str, *, stage: str, title="Digitale arbeidslister", restricted=False,
                   plan: dict | None = None, requester="kari"):
    """A project in `stage` with a plan, people and a budget, and an open request at `gate`."""
    project = make_project(users, title=title, stage=stage, manager="kari", restricted=restricted)
    db.session.add(ProjectPlan(project_id=project.id, **(plan if plan is not None else dict(
        background="Hjemmetjenesten skriver ut arbeidslister på papir hver morgen.",
        zero_alternative="Uten prosjektet fortsetter papirlistene, og feil i listene blir ikke rettet samme dag.",
        purpose="Riktig liste til riktig tid for alle i hjemmetjenesten.",
        archive_ref="2026/1234", start_date=date(2026, 1, 1), end_date=date(2027, 6, 30)))))
    db.session.add(PlanGoal(project_id=project.id, kind="effect", position=1,
                            text="Ingen papirlister i hjemmetjenesten innen 1. juni 2027."))
    db.session.add(ProjectMember(project_id=project.id, user=users["randi"], role="steering_group"))
    db.session.add(ProjectMember(project_id=project.id, user=users["lise"], role="steering_group"))
    db.session.add(BudgetLine(project_id=project.id, year=2026, investment_nok=800_000, operating_nok=50_000))
    db.session.add(BudgetLine(project_id=project.id, year=2027, investment_nok=200_000, operating_nok=120_000))
    db.session.add(FundingSource(project_id=project.id, source="Statsforvalterens skjønnsmidler", kind="grant",
                                 amount_nok=400_000, status="granted"))
    db.session.add(GateRequest(project_id=project.id, gate=gate, status="pending", requested_by=users[requester],
                               summary=f"Vi ber om godkjenning av {gate}.", checklist_snapshot=[]))
    db.session.commit()
    return project


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def pdfa_declaration(pdf: pikepdf.Pdf) -> tuple[str | None, str | None]:
    """(pdfaid:part, pdfaid:conformance) from the XMP metadata."""
    with pdf.open_metadata() as meta:
        return meta.get("pdfaid:part"), meta.get("pdfaid:conformance")


def xmp_title(pdf: pikepdf.Pdf) -> str:
    with pdf.open_metadata() as meta:
        return str(meta.get("dc:title") or "")


def fonts_not_embedded(pdf: pikepdf.Pdf) -> list[str]:
    """Names of the fonts used on any page (head and foot included) whose program is not in
    the file. Type 3 fonts draw their glyphs in the PDF itself and count as embedded."""
    missing, seen = [], set()

    def check(font):
        if font.objgen in seen:
            return
        seen.add(font.objgen)
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            return
        if subtype == "/Type0":
            for descendant in font.DescendantFonts:
                check(descendant)
            return
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(font.get("/BaseFont")))

    def walk(resources):
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            check(font)
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get("/Resources"))

    for page in pdf.pages:
        walk(page.obj.get("/Resources"))
    return missing


def font_count(pdf: pikepdf.Pdf) -> int:
    names = set()
    for page in pdf.pages:
        for font in (page.obj.Resources.get("/Font") or {}).values():
            names.add(str(font.get("/BaseFont")))
    return len(names)


def srgb_output_intent(pdf: pikepdf.Pdf) -> bool:
    """An OutputIntent of subtype GTS_PDFA1 with an embedded RGB ICC profile."""
    for intent in pdf.Root.get("/OutputIntents") or []:
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFA1" and profile is not None:
            icc = profile.read_bytes()
            return icc[16:20] == b"RGB " and len(icc) > 128
    return False


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    with pdf.open_outline() as outline:
        return [item.title for item in outline.root]

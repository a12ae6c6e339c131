"""/projects/: every idea and project with its stage, and a fixed number of queries."""
from __future__ import annotations

import re

import pytest

from tests.gates.flow import make_project
from tests.support.factories import make_user


def rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_list_shows_title_stage_unit_owner_and_manager(as_user, users):
    make_project(users, title="Digitale arbeidslister")
    make_project(users, title="Ny turnusplan", stage="concept", manager="kari", unit="Oppvekst")
    html = as_user("per").get("/projects/").get_data(as_text=True)

    assert "2 saker" in html
    assert sorted(rows(html)) == sorted([
        "Digitale arbeidslister Idé Helse og omsorg Ola Nordmann –",
        "Ny turnusplan Konsept Oppvekst Ola Nordmann Kari Nordmann",
    ])


def test_list_filters_by_stage(as_user, users):
    make_project(users, title="Digitale arbeidslister")
    make_project(users, title="Ny turnusplan", stage="concept", manager="kari")
    html = as_user("per").get("/projects/?stage=concept").get_data(as_text=True)
    assert [r.split(" Konsept")[0] for r in rows(html)] == ["Ny turnusplan"]
    # Drafts cannot be asked for.
    make_project(users, title="Hemmelig kladd", stage="draft")
    html = as_user("ida").get("/projects/?stage=draft").get_data(as_text=True)
    assert "Hemmelig kladd" not in html


@pytest.mark.parametrize("viewer", ["per", "lise", "admin"])
def test_list_query_count_does_not_grow_with_rows(as_user, users, count_queries, viewer):
    client = as_user(viewer)

    def add(n, start):
        # Everyone different, so that a lazy load per row cannot hide in the identity map.
        for i in range(start, start + n):
            people = {**users, "owner": make_user(f"eier{i}"), "manager": make_user(f"leder{i}"),
                      "submitter": make_user(f"innsender{i}")}
            make_project(people, title=f"Prosjekt {i}", stage=("idea", "concept")[i % 2],
                         submitter="submitter", owner="owner", manager="manager" if i % 2 else None,
                         restricted=(i % 5 == 0))

    add(3, 0)
    few = count_queries(lambda: client.get("/projects/"))
    add(27, 3)
    many = count_queries(lambda: client.get("/projects/"))
    html = client.get("/projects/").get_data(as_text=True)
    assert len(rows(html)) == (30 if viewer != "per" else 30 - 6)  # 6 restricted ones hidden from per
    assert "Eier29" in html and "Leder29" in html
    assert many == few, (few, many)

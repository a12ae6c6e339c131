"""GET /api/v1/projects: the portfolio's filters and visibility as JSON, a page at a time."""
from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import GateDecision, GateRequest, ProjectMember
from app.portfolio.query import PortfolioFilter, portfolio_query
from tests.gates.flow import BrowserClient, make_project
from tests.support.factories import post_form

URL = "/api/v1/projects"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return [item["id"] for item in response.get_json()["items"]]


def portfolio_ids(user, **args) -> list[int]:
    """What the portfolio overview lists for the same query string (all pages)."""
    filt = PortfolioFilter.from_args(MultiDict(args), max_per_page=500)
    return [p.id for p in db.session.execute(portfolio_query(user, filt)).unique().scalars()]


@pytest.fixture()
def portfolio(users):
    """Eight projects in several stages and units; one restricted, one draft."""
    make = lambda title, **kw: make_project(users, title=title, **kw)  # noqa: E731
    return {
        "idea": make("Chatbot for byggesak", stage="idea", unit="Teknisk"),
        "concept": make("Digital nøkkelboks", stage="concept", manager="kari", unit="Helse og omsorg"),
        "plan1": make("Velferdsteknologi", stage="planning", manager="kari", unit="Helse og omsorg"),
        "plan2": make("Digital byggesøknad", stage="planning", manager="kari", unit="Teknisk", owner="randi"),
        "exec": make("Ny EPJ", stage="execution", manager="kari", unit="Helse og omsorg"),
        "done": make("Elektronisk faktura", stage="completed", manager="kari", unit="Økonomi"),
        "restricted": make("Barnevern: ny fagapplikasjon", stage="planning", manager="kari",
                           unit="Helse og omsorg", restricted=True, submitter="randi", owner="randi"),
        "draft": make("Kladd om skolefrukt", stage="draft", unit="Oppvekst"),
    }


# --- shape -----------------------------------------------------------------------------------
def test_items_have_exactly_the_shape_of_the_single_project(as_user, users, portfolio):
    lise = as_user("lise")
    body = lise.get(URL).get_json()

    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 7)
    for item in body["items"]:
        assert item == lise.get(f"{URL}/{item['id']}").get_json()


def test_same_projects_in_the_same_order_as_the_portfolio(as_user, users, portfolio):
    for args in ({}, {"stage": "planning"}, {"unit": "Teknisk"}, {"stage": ["planning", "execution"]},
                 {"owner": "randi"}, {"q": "digital"}, {"sort": "title", "dir": "desc"}):
        for name in ("ida", "lise"):
            query = "&".join(f"{k}={v}" for k, values in args.items()
                             for v in (values if isinstance(values, list) else [values]))
            got = ids(as_user(name).get(f"{URL}?per_page=500&{query}"))
            assert got == portfolio_ids(users[name], **args), (name, args)
            assert got, (name, args)


def test_filters_narrow_the_list(as_user, users, portfolio):
    lise = as_user("lise")
    assert ids(lise.get(f"{URL}?stage=planning")) == sorted(
        [portfolio["plan2"].id, portfolio["restricted"].id, portfolio["plan1"].id],
        key=lambda pid: db.session.get(type(portfolio["plan1"]), pid).title.lower())
    assert set(ids(lise.get(f"{URL}?stage=planning&unit=Teknisk"))) == {portfolio["plan2"].id}
    assert set(ids(lise.get(f"{URL}?unit=%C3%98konomi"))) == {portfolio["done"].id}
    assert lise.get(f"{URL}?stage=planning").get_json()["total"] == 3


# --- paging ----------------------------------------------------------------------------------
def test_pages_add_up_to_the_whole_list(as_user, users, portfolio):
    ida = as_user("ida")
    everything = ids(ida.get(f"{URL}?per_page=500"))
    pages = [ida.get(f"{URL}?per_page=2&page={n}").get_json() for n in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [6] * 4
    assert [p["page"] for p in pages] == [1, 2, 3, 4] and {p["per_page"] for p in pages} == {2}
    assert sum((page_ids for page_ids in ([i["id"] for i in p["items"]] for p in pages)), []) == everything
    assert pages[3]["items"] == []  # past the end: empty, so a paging client stops


@pytest.mark.parametrize("query", ["per_page=0", "per_page=501", "per_page=-1", "per_page=abc", "per_page=1.5",
                                   "per_page=%C2%B2", "per_page=99999999999999999999", "page=0", "page=-3",
                                   "page=x", "page=1e3", "page=%D9%A1", "page=10000001"])
def test_bad_paging_is_400_json_in_norwegian(as_user, users, portfolio, query):
    response = as_user("ida").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == 400
    assert "må være et helt tall" in body["message"]


@pytest.mark.parametrize("query, word", [("stage=planing", "stage"), ("stage=draft", "stage"),
                                         ("status=lilla", "status"), ("sort=hemmelig", "sort"),
                                         ("dir=opp", "dir"), ("programme=abc", "programme")])
def test_unknown_filter_values_are_400_not_everything(as_user, users, portfolio, query, word):
    response = as_user("ida").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert word in response.get_json()["message"]


def test_per_page_bounds(as_user, users, portfolio):
    ida = as_user("ida")
    assert ida.get(URL).get_json()["per_page"] == 50
    assert ida.get(f"{URL}?per_page=500").get_json()["per_page"] == 500
    assert ida.get(f"{URL}?per_page=1").get_json()["per_page"] == 1
    assert len(ids(ida.get(f"{URL}?per_page=1"))) == 1


def test_query_count_does_not_grow_with_per_page(as_user, users, count_queries):
    """Eager loading: a page of 2 and a page of 20 cost the same number of statements."""
    ida = as_user("ida")
    ida.get(URL)  # sign-in bookkeeping out of the way
    for i in range(20):
        project = make_project(users, title=f"Prosjekt {i:02}", stage="concept", manager="kari")
        db.session.add(ProjectMember(project_id=project.id, user_id=users["per"].id, role="member"))
        request = GateRequest(project_id=project.id, gate="BP1", status="approved", requested_by=users["ida"])
        db.session.add(request)
        db.session.flush()
        db.session.add(GateDecision(request_id=request.id, decision="approve", decided_by=users["ola"]))
    db.session.commit()
    small = count_queries(lambda: ida.get(f"{URL}?per_page=2"))
    large = count_queries(lambda: ida.get(f"{URL}?per_page=20"))
    assert small == large, (small, large)


# --- who sees what ---------------------------------------------------------------------------
@pytest.mark.parametrize("who, sees_restricted", [
    ("ida", False),     # plain employee
    ("per", False),     # ikt role
    ("siri", False),    # personvern role
    ("kari", True),     # the restricted project's manager
    ("randi", True),    # its submitter and owner
    ("lise", True),     # portefolje
    ("admin", True),
])
@pytest.mark.parametrize("how", ["session", "token"])
def test_no_restricted_project_or_draft_leaks(app, as_user, users, portfolio, who, sees_restricted, how):
    if how == "session":
        client, headers = as_user(who), {}
    else:
        response = post_form(as_user(who), "/profile/tokens", {"name": "Feed"}, page="/profile")
        token = re.search(r'id="new-token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)
        client, headers = BrowserClient(app, app.response_class, use_cookies=False), {
            "Authorization": f"Bearer {token}"}

    restricted, draft = portfolio["restricted"].id, portfolio["draft"].id
    for query in ("", "?stage=planning", "?q=barnevern", "?unit=Helse+og+omsorg", "?per_page=500",
                  "?stage=draft&stage=planning"):
        response = client.get(URL + query, headers=headers)
        if response.status_code == 400:  # stage=draft is refused outright
            continue
        body = response.get_json()
        got = [i["id"] for i in body["items"]]
        assert (restricted in got) is sees_restricted, (who, how, query)
        assert draft not in got, (who, how, query)
    total = client.get(URL, headers=headers).get_json()["total"]
    assert total == (7 if sees_restricted else 6), (who, how)


def test_the_draft_stays_out_even_for_its_author(as_user, users, portfolio):
    assert portfolio["draft"].id not in ids(as_user("ida").get(f"{URL}?per_page=500"))


def test_a_member_of_the_restricted_project_sees_it(as_user, users, portfolio):
    db.session.add(ProjectMember(project_id=portfolio["restricted"].id, user_id=users["per"].id,
                                 role="technical_lead"))
    db.session.commit()
    assert portfolio["restricted"].id in ids(as_user("per").get(f"{URL}?per_page=500"))


def test_signed_out_is_401_json(client, users, portfolio):
    response = client.get(URL)
    assert response.status_code == 401 and response.get_json()["status"] == 401
    assert "Location" not in response.headers

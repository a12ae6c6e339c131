"""What the browser is given: pinned htmx and Designsystemet, a strict CSP, no inline code."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from app import create_app
from app.frontend import ASSETS
from config import BASE_DIR, TestConfig
from tests.auth.helpers import Page, fresh_request_globals  # noqa: F401 - fixture
from tests.support.ci_guard import require
from tests.support.factories import login_as, post_form

VENDOR = BASE_DIR / "static" / "vendor"
CDN_HOST = "https://cdn.jsdelivr.net"


def _sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


# --- the pinned files -------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ASSETS))
def test_sri_hash_matches_the_vendored_file(name):
    asset = ASSETS[name]
    local = VENDOR / asset.local
    require(local.is_file(), f"{local} missing: run `make setup` (npm ci + scripts/vendor.py)")
    assert asset.integrity == _sri(local), (
        f"{name}: app/frontend.py says {asset.integrity}, static/vendor/{asset.local} "
        f"hashes to {_sri(local)}")


def test_pinned_versions_match_package_json():
    declared = json.loads((BASE_DIR / "package.json").read_text())["dependencies"]
    for asset in ASSETS.values():
        assert declared.get(asset.package) == asset.version, asset.package


@pytest.mark.parametrize("name", sorted(ASSETS))
def test_vendored_file_comes_from_the_pinned_npm_package(name):
    asset = ASSETS[name]
    source = BASE_DIR / "node_modules" / asset.package / asset.path
    require(source.is_file(), f"{source} missing: run `npm ci`")
    installed = json.loads(
        (BASE_DIR / "node_modules" / asset.package / "package.json").read_text())
    assert installed["version"] == asset.version
    assert _sri(source) == asset.integrity


# --- CDN with fallback, or local only ---------------------------------------------------
@pytest.fixture(scope="module")
def cdn_app():
    """A second app that loads htmx and Designsystemet from the CDN (the default outside
    tests); asset choice is made once at start-up, so it needs its own app."""
    class CdnConfig(TestConfig):
        HTMX_FROM_CDN = True
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    return create_app(CdnConfig)


def test_cdn_page_loads_htmx_from_jsdelivr_with_integrity_and_a_local_fallback(cdn_app):
    require(all((VENDOR / a.local).is_file() for a in ASSETS.values()),
            "static/vendor/ missing: run `make setup`")
    response = cdn_app.test_client().get("/login")
    page = Page(response.get_data(as_text=True))
    htmx = ASSETS["htmx"]

    [cdn_script] = page.find("script", src=htmx.cdn_url)
    assert htmx.cdn_url.startswith(CDN_HOST + "/npm/htmx.org@2.0.11/")
    assert cdn_script["integrity"] == htmx.integrity
    assert cdn_script["crossorigin"] == "anonymous"
    for name in ("ds_css", "ds_theme"):
        [link] = page.find("link", href=ASSETS[name].cdn_url)
        assert link["integrity"] == ASSETS[name].integrity

    [fallback] = page.find("script", src="/static/js/fallback.js")
    assert fallback["data-htmx-local"] == "/static/vendor/htmx.min.js"
    assert fallback["data-css-local"].split() == [
        "/static/vendor/designsystemet.css", "/static/vendor/designsystemet-theme.css"]
    # The fallback runs right after the CDN script, before anything that needs htmx.
    scripts = [a.get("src") for a in page.find("script")]
    assert scripts.index("/static/js/fallback.js") == scripts.index(htmx.cdn_url) + 1

    csp = response.headers["Content-Security-Policy"]
    assert CDN_HOST in _directive(csp, "script-src")
    assert CDN_HOST in _directive(csp, "style-src")


def test_local_page_uses_only_static_vendor(client, db):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    page = Page(html)

    assert "cdn.jsdelivr" not in html and "integrity=" not in html
    assert page.find("script", src="/static/vendor/htmx.min.js")
    assert page.find("link", href="/static/vendor/designsystemet.css")
    assert page.find("link", href="/static/vendor/designsystemet-theme.css")
    assert not page.find("script", src="/static/js/fallback.js")
    assert "cdn.jsdelivr" not in response.headers["Content-Security-Policy"]


def test_the_fallback_reads_the_attributes_the_page_sets():
    script = (BASE_DIR / "static" / "js" / "fallback.js").read_text()
    base = (BASE_DIR / "templates" / "base.html").read_text()
    for attribute in ("data-htmx-local", "data-css-local"):
        assert attribute in script and attribute in base


@pytest.mark.parametrize("path", ["/static/js/fallback.js", "/static/js/app.js",
                                  "/static/vendor/htmx.min.js"])
def test_scripts_are_served(client, db, path):
    if path.startswith("/static/vendor/"):
        require((VENDOR / "htmx.min.js").is_file(), "static/vendor/ missing: run `make setup`")
    response = client.get(path)
    assert response.status_code == 200
    assert "javascript" in response.mimetype


# --- the Content-Security-Policy and friends, on every page -----------------------------
def _directive(csp: str, name: str) -> str:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == name:
            return " ".join(words[1:])
    raise AssertionError(f"no {name} in {csp!r}")


@pytest.fixture()
def pages(client, db, users):
    """Responses of the pages a person meets first: sign-in, Mitt, errors, the health check."""
    result = {
        "login": client.get("/login"),
        "login_422": post_form(client, "/login", {"username": "", "password": ""},
                               page="/login"),
        "csrf_400": client.post("/login", data={"username": "ida", "password": "demo"}),
        "not_found": client.get("/finnes-ikke"),
        "healthz": client.get("/healthz"),
    }
    login_as(client, users["ida"])
    result["mitt"] = client.get("/")
    result["people"] = client.get("/people/search?q=ida", headers={"HX-Request": "true"})
    return result


def test_every_response_has_a_strict_csp_and_security_headers(pages):
    for name, response in pages.items():
        csp = response.headers.get("Content-Security-Policy", "")
        assert csp, name
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, name
        assert _directive(csp, "script-src") == "'self'", name
        assert _directive(csp, "object-src") == "'none'", name
        assert _directive(csp, "frame-ancestors") == "'none'", name
        assert _directive(csp, "form-action") == "'self'", name
        assert _directive(csp, "base-uri") == "'self'", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert "HX-Request" in response.headers.get("Vary", ""), name


def test_pages_are_not_kept_in_shared_caches(pages):
    for name in ("login", "mitt", "people"):
        assert "no-store" in pages[name].headers.get("Cache-Control", ""), name


EVENT_ATTRIBUTE = re.compile(r"^(on[a-z]+|hx-on.*)$")


@pytest.mark.parametrize("name", ["login", "login_422", "csrf_400", "mitt", "not_found", "people"])
def test_pages_contain_no_inline_script_handlers_or_styles(pages, name):
    """The CSP forbids them, so any would silently not work in the browser."""
    page = Page(pages[name].get_data(as_text=True))
    assert page.tags, name
    for tag, attributes in page.tags:
        if tag == "script":
            assert attributes.get("src"), f"inline <script> on {name}"
        for attribute, value in attributes.items():
            assert not EVENT_ATTRIBUTE.match(attribute), f"{attribute}= on {name}"
            assert attribute != "style", f"style= on <{tag}> on {name}"
            assert not value.strip().lower().startswith("javascript:"), name
            assert not value.strip().startswith("js:"), name
    assert "<style" not in page.html


@pytest.mark.parametrize("name", ["login", "mitt"])
def test_body_carries_the_csrf_token_for_htmx(pages, name):
    [body] = Page(pages[name].get_data(as_text=True)).find("body")
    headers = json.loads(body["hx-headers"])
    assert headers["X-CSRFToken"]


def test_the_htmx_csrf_header_is_accepted_by_the_server(app, db, users):
    """What htmx sends (the token from hx-headers as X-CSRFToken) passes the CSRF check."""
    browser = app.test_client()
    login_as(browser, users["ida"])
    [body] = Page(browser.get("/").get_data(as_text=True)).find("body")
    token = json.loads(body["hx-headers"])["X-CSRFToken"]

    refused = browser.post("/logout", headers={"HX-Request": "true"})
    assert refused.status_code == 400

    response = browser.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code in (200, 204, 302)
    assert browser.get("/").status_code == 302  # signed out


def test_htmx_config_forbids_eval(pages):
    [meta] = Page(pages["login"].get_data(as_text=True)).find("meta", name="htmx-config")
    config = json.loads(meta["content"])
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert any(rule["code"] == "422" and rule["swap"] for rule in config["responseHandling"])

"""Fuzzing every POST route found from the URL map: mutated values (huge and negative
numbers, long strings, NUL, invalid UTF-8, wrong types, bad dates) in the fields the
route's own pages show, as an administrator and as an employee. No answer may be a 5xx.

FASEPORT_FUZZ_POSTS sets the number of posts per person (default 150 here; the issue's
full run is FASEPORT_FUZZ_POSTS=5000, i.e. 10,000 posts per database).
"""
from __future__ import annotations

import io
import random
from urllib.parse import quote

import pytest

from tests.pressure.demo import env_count, ids_for, load_demo, names_on
from tests.security.test_every_post import post_rules
from tests.support.factories import csrf_token, login_as

POSTS = env_count("FASEPORT_FUZZ_POSTS", 150)

HUGE = ["2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999999999", "1e308",
        "-1", "-0", "0", "1.5", "NaN", "Infinity", "1 200 000 000 000 000", "1,8 mill", "12,5"]
TEXT = ["", " ", "x" * 11, "x" * 101, "x" * 301, "x" * 2001, "x" * 10_001, "x" * 100_001, "a\x00b", "\x00",
        "Ærlig Østlandsk Å", "\u202e\u0000\ud7ff", "<script>alert(1)</script>", "' OR 1=1 --", "*)(uid=*",
        "\t\n\r", "🙂" * 200]
DATES = ["2026-02-30", "0000-00-00", "31.12.99999", "9999-12-31", "0001-01-01", "01.01.0001", "2026-13-01",
         "i morgen", "2026-05-01T10:00", "-1-01-01"]
CHOICES = ["approve", "reject", "return", "postpone", "risk", "opportunity", "open", "closed", "yes", "no",
           "ja", "nei", "high", "green", "red", "done", "kari", "ola", "admin", "ukjent", "BP1", "impact"]
INVALID_UTF8 = ["%FF%FE", "%C3%28", "%ED%A0%80", "abc%80"]


def mutate(rng: random.Random, original: str | None) -> str | list | tuple:
    """One mutated value (a list is several values; a tuple is a file upload)."""
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(HUGE)
    if roll < 0.50:
        return rng.choice(TEXT)
    if roll < 0.62:
        return rng.choice(DATES)
    if roll < 0.75:
        return rng.choice(CHOICES)
    if roll < 0.82:
        return [rng.choice(HUGE), rng.choice(TEXT)]  # the same name twice
    if roll < 0.86:
        return ("file", b"\xff\xfe\x00binary")  # a file where text was expected
    if roll < 0.93:
        return ("invalid-utf8", rng.choice(INVALID_UTF8))
    return original if original is not None else ""


def encode(data: dict) -> tuple[bytes | dict, str]:
    """The request body: urlencoded bytes (so invalid UTF-8 can be sent), or multipart
    when a file is among the values."""
    if any(isinstance(v, tuple) and v[0] == "file" for v in data.values()):
        body = {}
        for name, value in data.items():
            if isinstance(value, tuple):
                body[name] = (io.BytesIO(value[1]), "vedlegg.bin") if value[0] == "file" else value[1]
            else:
                body[name] = value
        return body, "multipart/form-data"
    parts = []
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            raw = v[1] if isinstance(v, tuple) else quote(str(v), safe="")
            parts.append(f"{quote(name, safe='')}={raw}")
    return "&".join(parts).encode("ascii"), "application/x-www-form-urlencoded"


def page_of(url: str) -> str:
    """The page a POST route belongs to: /projects/5/risks/12 → /projects/5/risks."""
    parts = url.split("?")[0].strip("/").split("/")
    keep = 3 if parts[0] == "projects" else 2
    return "/" + "/".join(parts[:keep])


@pytest.mark.parametrize("who", ["admin", "ida"])
def test_fuzzed_posts_to_every_route_never_give_a_server_error(app, client, db, who, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # count 500s, as a server would
    demo = load_demo(db)
    project = demo["project"]
    rng = random.Random(f"fuzz-{who}")
    login_as(client, demo["users"][who])
    token = csrf_token(client)
    rules = [r for r in post_rules(app) if r.endpoint != "auth.logout"]
    names_cache: dict[str, set[str]] = {}
    errors = []
    for n in range(POSTS):
        rule = rules[n % len(rules)] if n < len(rules) else rng.choice(rules)
        values = {arg: rng.choice(ids_for(arg, project.id)) for arg in rule.arguments}
        url = rule.build(values)[1]
        page = page_of(url)
        if page not in names_cache:
            names_cache[page] = names_on(client.get(page).get_data(as_text=True)) - {"csrf_token"}
        names = sorted(names_cache[page]) or ["title", "description", "version"]
        data = {name: mutate(rng, None) for name in rng.sample(names, k=min(len(names), rng.randint(1, 12)))}
        data["csrf_token"] = token
        body, content_type = encode(data)
        headers = {"HX-Request": "true"} if rng.random() < 0.3 else {}
        response = client.post(url, data=body, content_type=content_type, headers=headers)
        if response.status_code >= 500:
            errors.append((rule.endpoint, response.status_code, {k: str(v)[:40] for k, v in data.items()
                                                                 if k != "csrf_token"}))
        if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
            login_as(client, demo["users"][who])  # a fuzzed sign-out or expiry: sign in again
            token = csrf_token(client)
    print(f"fuzzed {POSTS} posts as {who}: {len(errors)} server errors")
    causes = sorted({r.exc_info[1].__class__.__name__ + ": " + str(r.exc_info[1])[:200]
                     for r in caplog.records if r.exc_info})
    assert errors == [], causes

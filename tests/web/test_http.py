"""The desk over HTTP: sign-in, sessions, CSRF, roles, escaping, the CSP, audited changes, raw payloads."""

from __future__ import annotations

import hashlib
import html
import re
import sqlite3
import subprocess

import pytest
from markupsafe import escape
from tests.web.conftest import HOSTILE, PASSWORD, VIGIL, Desk, csrf_of, free_port, login, vigil

PAGES = ["/", "/queue", "/voices", "/voices/1", "/search?q=water", "/digest", "/audit", "/post/related?uid=x"]


def db(desk: Desk) -> sqlite3.Connection:
    return sqlite3.connect(desk.ws / "vigil.db", timeout=30)


def count(desk: Desk, table: str) -> int:
    with db(desk) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - test's own names


def first_uid(c, query: str = "") -> str:
    m = re.search(r'data-uid="([^"]+)"', c.get("/queue" + query).text)
    assert m
    return html.unescape(m.group(1))


def test_every_page_needs_a_session(desk: Desk) -> None:
    c = desk.client()
    for path in [*PAGES, "/post?uid=x", "/raw?sha256=" + "0" * 64, "/audit.jsonl", "/digest/view"]:
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path


def test_pages_carry_the_csp_and_load_nothing_from_another_host(desk: Desk) -> None:
    c = desk.client("viewer1")
    for path in [*PAGES, "/login", "/static/desk.css", "/static/desk.js"]:
        r = c.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "http" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff"
        if r.headers["content-type"].startswith("text/html"):
            for attr in re.findall(r'(?:src|href|action)="([^"]*)"', r.text):
                assert attr.startswith(("/", "#", "?")), (path, attr)
            assert "<script>" not in r.text and " style=" not in r.text, path  # no inline script or style


def test_login_is_checked_and_its_cookie_is_safe(desk: Desk) -> None:
    c = desk.client()
    assert login(c, "editor1", "wrong password!").status_code == 401
    r = c.post("/login", data={"csrf": "forged", "name": "editor1", "password": PASSWORD})
    assert r.status_code == 403 and "vigil_session" not in r.headers.get("set-cookie", "")
    r = login(c, "editor1", PASSWORD)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "vigil_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert c.get("/").status_code == 200
    forged = desk.client()
    forged.cookies.set("vigil_session", c.cookies["vigil_session"][:-4] + "abcd")
    assert forged.get("/").status_code == 303  # a cookie whose signature does not match is no session


def test_logins_are_limited(desk: Desk) -> None:
    c = desk.client()
    for _ in range(5):
        assert login(c, "locked1", "not the password").status_code == 401
    r = login(c, "locked1", PASSWORD)  # the right password, too late
    assert r.status_code == 429 and "too many failed logins" in r.text.lower()


def test_logout_ends_the_session(desk: Desk) -> None:
    c = desk.client("editor1")
    cookie = c.cookies["vigil_session"]
    assert c.post("/logout", data={"csrf": csrf_of(c.get("/").text)}).status_code == 303
    again = desk.client()
    again.cookies.set("vigil_session", cookie)
    assert again.get("/").status_code == 303


def test_changes_need_the_csrf_token(desk: Desk) -> None:
    c = desk.client("editor1")
    uid = first_uid(c)
    before = count(desk, "human_labels")
    for token in ("", "forged"):
        r = c.post("/queue/label", data={"csrf": token, "uid": uid, "action": "correct", "label": "plea"})
        assert r.status_code == 403
    assert count(desk, "human_labels") == before


def test_a_viewer_cannot_change_anything(desk: Desk) -> None:
    c = desk.client("viewer1")
    page = c.get("/queue").text
    assert 'action="/queue/label"' not in page  # no form offered
    token, uid = csrf_of(page), first_uid(c)
    labels, audit = count(desk, "human_labels"), count(desk, "audit_log")
    posts = [
        ("/queue/label", {"uid": uid, "action": "correct", "label": "plea"}),
        ("/queue/assign", {"uid": uid, "assignee": "viewer1"}),
        ("/queue/filters", {"name": "mine", "query": "label=plea"}),
        ("/voices/1/set", {"role": "doctor"}),
        ("/voices/1/inside", {"inside": "inside"}),
        ("/voices/1/ack", {}),
        ("/voices/1/mute", {"muted": "1"}),
        ("/voices/link", {"account": ["a", "b"]}),
    ]
    for path, data in posts:
        r = c.post(path, data={"csrf": token, **data})
        assert r.status_code == 403 and "viewer" in r.text, path
    assert (count(desk, "human_labels"), count(desk, "audit_log")) == (labels, audit)
    assert count(desk, "saved_filters") == 0 or "mine" not in str(
        db(desk).execute("SELECT name FROM saved_filters").fetchall()
    )


def test_a_correction_is_a_human_label_with_its_audit_entry(desk: Desk) -> None:
    c = desk.client("editor1")
    uid = first_uid(c, "?label=attack")
    r = c.post(
        "/queue/label",
        data={
            "csrf": csrf_of(c.get("/queue").text),
            "uid": uid,
            "action": "correct",
            "label": "missing",
            "next": "/queue",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    with db(desk) as conn:
        row = conn.execute(
            "SELECT task, label, set_by FROM human_labels WHERE uid = ? ORDER BY id DESC", (uid,)
        ).fetchone()
        entry = conn.execute(
            "SELECT who, action, before, after FROM audit_log WHERE target = ?", (f"post:{uid}",)
        ).fetchone()
    assert row == ("triage", "missing", "editor1")
    assert entry[:2] == ("editor1", "label.correct") and '"attack"' in entry[2] and '"missing"' in entry[3]
    post = c.get("/post", params={"uid": uid}).text
    assert '<td class="hl">missing</td>' in post and "label.correct" in post
    assert "label.correct" in c.get("/audit").text
    exported = vigil("audit", "export", "--workspace", str(desk.ws)).stdout
    assert uid in exported and '"label": "missing"' in exported


def test_bulk_not_relevant_and_assign(desk: Desk) -> None:
    c = desk.client("editor1")
    page = c.get("/queue?priority=low").text
    uids = [html.unescape(u) for u in re.findall(r'data-uid="([^"]+)"', page)[:3]]
    token = csrf_of(page)
    assert c.post("/queue/label", data={"csrf": token, "uid": uids, "action": "not-relevant"}).status_code == 303
    assert c.post("/queue/assign", data={"csrf": token, "uid": uids, "assignee": "viewer1"}).status_code == 303
    with db(desk) as conn:
        got = conn.execute(
            f"SELECT count(*) FROM human_labels WHERE label = 'not-relevant' AND uid IN ({','.join('?' * 3)})", uids
        ).fetchone()[0]
        assigned = conn.execute("SELECT count(*) FROM assignments WHERE assignee = 'viewer1'").fetchone()[0]
    assert got == 3 and assigned >= 3
    mine = c.get("/queue", params={"assignee": "viewer1"}).text
    assert all(html.escape(u, quote=True) in mine or u in mine for u in uids)


def test_a_refused_change_is_one_line_and_writes_nothing(desk: Desk) -> None:
    c = desk.client("editor1")
    page = c.get("/queue").text
    token, uid = csrf_of(page), first_uid(c)
    before = count(desk, "human_labels"), count(desk, "audit_log")
    for path, data in [
        ("/queue/label", {"uid": uid, "action": "correct", "label": "no-such-label"}),
        ("/queue/label", {"uid": "csv:no-such-post", "action": "confirm"}),
        ("/queue/assign", {"uid": uid, "assignee": "nobody-here"}),
        ("/queue/filters", {"name": "", "query": "label=plea"}),
    ]:
        r = c.post(path, data={"csrf": token, **data})
        assert r.status_code == 400, (path, r.status_code, r.text)
        assert r.text and "\n" not in r.text.strip() and "Traceback" not in r.text
    assert (count(desk, "human_labels"), count(desk, "audit_log")) == before


def test_saved_filters_are_per_user(desk: Desk) -> None:
    c = desk.client("editor1")
    token = csrf_of(c.get("/queue").text)
    r = c.post("/queue/filters", data={"csrf": token, "name": "Pleas in Arabic", "query": "label=plea&lang=ar"})
    assert r.status_code == 303 and "label=plea" in r.headers["location"]
    assert "Pleas in Arabic" in c.get("/queue").text
    assert "Pleas in Arabic" not in desk.client("admin1").get("/queue").text


def test_hostile_text_is_shown_as_text(desk: Desk) -> None:
    c = desk.client("editor1")
    for page in (
        c.get("/search", params={"q": "hostilemarker"}).text,
        c.get("/post", params={"uid": "csv:evil-1"}).text,
        c.get("/queue").text + c.get("/queue", params={"after": "x"}).text,
    ):
        assert "<script>alert" not in page and "<img src=x" not in page and "<b onmouseover" not in page
    post = c.get("/post", params={"uid": "csv:evil-1"}).text
    assert str(escape(HOSTILE)) in post  # every character kept, escaped
    assert 'dir="auto"' in post
    hit = c.get("/search", params={"q": "hostilemarker"}).text
    assert "&lt;script&gt;" in hit and "<mark>hostilemarker</mark>" in hit


def test_raw_payload_is_checked_against_its_sha256(desk: Desk) -> None:
    c = desk.client("viewer1")
    page = c.get("/post", params={"uid": "csv:evil-1"}).text
    sha = re.search(r"/raw\?sha256=([0-9a-f]{64})", page).group(1)
    r = c.get("/raw", params={"sha256": sha})
    assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == sha
    assert "attachment" in r.headers["content-disposition"]
    assert c.get("/raw", params={"sha256": "f" * 64}).status_code == 404
    assert c.get("/raw", params={"sha256": "../etc"}).status_code == 400


def test_pages_never_write(desk: Desk) -> None:
    c = desk.client("viewer1")
    tables = ("human_labels", "audit_log", "web_sessions", "login_attempts", "assignments", "voices", "posts")
    before = [count(desk, t) for t in tables]
    with db(desk) as conn:
        changes = conn.execute("PRAGMA data_version").fetchone()
        for path in [*PAGES, "/post?uid=csv:evil-1", "/queue?label=plea", "/voices?suggest=1", "/digest/view"]:
            assert c.get(path).status_code == 200, path
        assert conn.execute("PRAGMA data_version").fetchone() == changes  # no other connection committed
    assert [count(desk, t) for t in tables] == before


def test_user_commands(desk: Desk) -> None:
    ws = str(desk.ws)
    assert vigil("user", "add", "x", "--role", "chief", "--password-stdin", "-w", ws, stdin=PASSWORD).returncode == 2
    r = vigil("user", "add", "short", "--password-stdin", "-w", ws, stdin="abc\n")
    assert r.returncode == 2 and "at least" in r.stderr and "Traceback" not in r.stderr
    r = vigil("user", "add", "temp1", "--role", "viewer", "--generate", "-w", ws)
    generated = r.stdout.strip().rpartition(" ")[2]
    c = desk.client()
    assert login(c, "temp1", generated).status_code == 303
    assert (
        vigil("user", "passwd", "temp1", "--password-stdin", "-w", ws, stdin="another long password\n").returncode == 0
    )
    assert c.get("/").status_code == 303  # the session ended with the old password
    assert vigil("user", "rm", "temp1", "-w", ws).returncode == 0
    assert login(desk.client(), "temp1", "another long password").status_code == 401
    assert "user.rm" in vigil("audit", "export", "--format", "csv", "-w", ws).stdout


@pytest.mark.parametrize("host", ["0.0.0.0"])  # noqa: S104 - the warning is what is tested
def test_serve_warns_when_not_bound_to_this_machine(desk: Desk, host: str) -> None:
    proc = subprocess.Popen(
        [VIGIL, "serve", "-w", str(desk.ws), "--host", host, "--port", str(free_port())],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline() if proc.stderr else ""
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert line.startswith("warning: binding 0.0.0.0")

"""The desk's library without a server: accounts, login limits, sessions, audited changes, the demo account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.web import audit, changes, users
from vigil.web.detail import diff_pieces
from vigil.web.reads import QueueFilter, html_lang


def _uid(ws: Workspace) -> str:
    with ws.engine.begin() as conn:
        conn.execute(
            schema.posts.insert().values(
                uid="t:1", platform="t", native_id="1", kind="post", time_quality="exact", text="help",
                content_hash="h", labels="plea missing", priority="critical", created_at="2026-03-02T10:00:00Z",
            )
        )  # fmt: skip
    return "t:1"


def test_passwords_are_hashed_and_logins_limited(ws: Workspace) -> None:
    users.add_user(ws, "amal", "editor", "a long password", by="test")
    with ws.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.web_users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and "a long password" not in stored
    token, user = users.login(ws, "amal", "a long password", "10.0.0.1") or ("", None)
    assert user is not None and user.can_edit
    with ws.engine.connect() as conn:
        found = users.session_user(conn, token)
        assert found is not None and found[0].name == "amal"
        assert conn.execute(sa.select(schema.web_sessions.c.token_sha256)).scalar_one() != token
    for _ in range(users.MAX_FAILS):
        assert users.login(ws, "amal", "wrong", "10.0.0.2") is None
    with pytest.raises(users.LoginLimited):
        users.login(ws, "amal", "a long password", "10.0.0.3")


def test_bad_user_commands_are_refused(ws: Workspace) -> None:
    with pytest.raises(users.UserError, match="at least"):
        users.add_user(ws, "x", "viewer", "short", by="test")
    with pytest.raises(users.UserError, match="role"):
        users.add_user(ws, "x", "boss", "a long password", by="test")
    with pytest.raises(users.UserError, match="no user"):
        users.remove_user(ws, "nobody", by="test")


def test_signed_values() -> None:
    key = b"k" * 32
    signed = users.sign(key, "token")
    assert users.unsign(key, signed) == "token"
    assert users.unsign(key, signed[:-1] + ("0" if signed[-1] != "0" else "1")) is None
    assert users.unsign(b"other" * 8, signed) is None


def test_labels_are_human_labels_and_audited(ws: Workspace) -> None:
    uid = _uid(ws)
    ed = users.User("ed", "editor")
    changes.label_posts(ws, ed, [uid], "confirm")
    changes.label_posts(ws, ed, [uid], "correct", "attack")
    changes.label_posts(ws, ed, [uid], "add", "casualties")
    changes.label_posts(ws, ed, [uid], "not-relevant")
    from vigil.models.labels import latest

    assert latest(ws, "triage") == {uid: "not-relevant"}
    assert latest(ws, "triage:casualties") == {uid: "yes"}
    with ws.engine.connect() as conn:
        log = audit.entries(conn, target=f"post:{uid}")
    assert [e.action for e in log] == ["label.not-relevant", "label.add", "label.correct", "label.confirm"]
    assert log[2].before["label"] == "plea" and log[2].after["label"] == "attack"
    with pytest.raises(changes.ChangeError):
        changes.label_posts(ws, ed, [uid], "correct", "<script>")


def test_voice_marks_go_through_the_watch_and_are_audited(ws: Workspace) -> None:
    _uid(ws)
    with ws.engine.begin() as conn:
        conn.execute(schema.voices.insert().values(id=1, name="Lina"))
        conn.execute(schema.accounts.insert().values(uid="t:7", platform="t", native_id="7", handle="lina", voice_id=1))
        conn.execute(schema.posts.update().values(account_uid="t:7"))
    ed = users.User("ed", "editor")
    changes.set_inside(ws, ed, 1, True)
    changes.acknowledge_silence(ws, ed, 1, "2026-03-04T00:00:00Z", "called her brother")
    changes.mute_silence(ws, ed, 1, True)
    changes.set_voice(ws, ed, 1, "doctor", "Old Market")
    with ws.engine.connect() as conn:
        marks = changes.voice_marks(conn)[1]
        role = conn.execute(sa.select(schema.voices.c.role)).scalar_one()
        log = audit.entries(conn, target="voice:1")
    from vigil.watch.marks import marks_in_force

    assert marks_in_force(ws).is_acked(1, "2026-03-02T10:00:00Z") and 1 in marks_in_force(ws).muted
    assert marks["inside"] is True and marks["muted"] and marks["acknowledged"]["by"] == "ed"
    assert role == "doctor"
    assert [e.action for e in log] == ["voice.set", "silence.mute", "silence.ack", "voice.location"]
    assert log[2].after == {"since": "2026-03-02T10:00:00Z", "note": "called her brother"}
    changes.mute_silence(ws, ed, 1, False)
    assert not marks_in_force(ws).muted


def test_demo_account_gets_a_new_random_password_each_time(ws: Workspace) -> None:
    name, first = users.demo_account(ws, "test")
    _, second = users.demo_account(ws, "test")
    assert first != second and len(first) >= users.MIN_PASSWORD
    assert users.login(ws, name, first, "c") is None
    assert users.login(ws, name, second, "c") is not None


def test_small_helpers() -> None:
    assert diff_pieces("the road is open", "the road is closed") == [
        ("same", "the road is "),
        ("del", "open"),
        ("ins", "closed"),
    ]
    assert html_lang("ar") == "ar" and html_lang("und") is None and html_lang('en" onload="x') is None
    f = QueueFilter.from_params({"label": "plea", "priority": "bogus", "unreviewed": "1"})
    assert f.label == "plea" and f.priority == "" and f.params() == {"label": "plea", "unreviewed": "1"}

"""Telegram Desktop JSON exports of both generations: local dates and numeric ids, then date_unixtime and entities."""

from __future__ import annotations

from tests.sources.shapes import read

from vigil.records import Scope

OLD = "telegram:9876543210"
NEW = "telegram:1700000099"


def test_old_export_local_dates_numeric_ids_and_text_pieces():
    r = read("telegram", "old")
    assert not r.problems and r.skipped == ["telegram service message"]
    assert sorted(r.posts) == [f"{OLD}/2", f"{OLD}/3", f"{OLD}/4"]
    assert r.posts[f"{OLD}/3"].text == "Evacuation route: https://example.org/map #harbor"
    assert r.posts[f"{OLD}/2"].time_quality == "no-timezone"


def test_old_export_keeps_its_scope_and_names_the_sender_as_newer_exports_do():
    r = read("telegram", "old")
    assert r.format == "telegram"
    assert Scope(kind="channel", key="telegram:channel9876543210") in r.records
    assert {p.author.id for p in r.posts.values()} == {"channel9876543210"}  # the channel's own number


def test_new_export_unixtime_entities_reactions_and_service_messages():
    r = read("telegram", "new")
    assert r.format == "telegram" and not r.problems
    assert r.skipped == ["telegram service message"] * 2  # members invited, message pinned
    assert sorted(r.posts) == [f"{NEW}/11", f"{NEW}/12", f"{NEW}/13", f"{NEW}/15"]
    first = r.posts[f"{NEW}/11"]
    assert first.created_at.isoformat() == "2026-04-13T19:04:11+00:00" and first.time_quality == "exact"
    assert first.author.id == "user5550010" and first.author.name == "Lena Ortiz"
    assert first.metrics.likes == 4  # reactions summed
    reply = r.posts[f"{NEW}/12"]
    assert reply.kind == "reply" and reply.reply_to == f"{NEW}/11"
    assert reply.text == "Diesel coming from @port_depot #clinic"
    assert reply.mentions == ["port_depot"] and reply.hashtags == ["clinic"]
    assert reply.edited_at.isoformat() == "2026-04-13T19:08:00+00:00"
    assert r.posts[f"{NEW}/13"].kind == "repost"
    (video,) = r.posts[f"{NEW}/15"].media
    assert video.type == "video" and video.missing  # exported without media
    assert Scope(kind="chat", key=NEW) in r.records


def test_an_older_exports_numeric_sender_is_named_as_newer_exports_name_it():
    from vigil.sources.telegram.importer import _sender_id

    assert _sender_id(5550010, "9876543210", "private_group") == "user5550010"
    assert _sender_id(9876543210, "9876543210", "public_channel") == "channel9876543210"
    assert _sender_id("user5550010", "9876543210", "public_channel") == "user5550010"
    assert _sender_id(None, "9876543210", "public_channel") is None

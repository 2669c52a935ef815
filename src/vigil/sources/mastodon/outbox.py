"""Reading a Mastodon account export: the outbox's activities streamed item by item, with the actor and media."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec

from vigil.records import Author, Media, Post, Problem, Record, Scope, Skipped
from vigil.sources.arrays import Window, iter_items, open_array
from vigil.sources.base import DECODE_ERRORS, Damage
from vigil.sources.mastodon.activity import (
    Activity,
    Actor,
    Attachment,
    Note,
    actor_author,
    announce_post,
    media_type,
    note_post,
)
from vigil.sources.mastodon.export import ERRORS, Export, media_key, open_export
from vigil.sources.parts import decode_lenient

_activity = msgspec.json.Decoder(Activity)
_note = msgspec.json.Decoder(Note)
_actor = msgspec.json.Decoder(Actor)
_uri = msgspec.json.Decoder(str)


def read_export(path: Path) -> Iterator[Record]:
    """Each status of the export as a post (a boost as a repost), then the account's scope when nothing was damaged."""
    export = open_export(path)
    if isinstance(export, Problem):
        yield export
        return
    try:
        yield from _read(export)
    finally:
        export.close()


def _read(export: Export) -> Iterator[Record]:
    yield from export.problems
    complete = not export.problems
    actor = None
    if export.actor is not None:
        try:
            actor = _actor.decode(export.actor)
        except DECODE_ERRORS as exc:
            yield Problem(source=str(export.source), where="actor.json", message=f"bad actor JSON: {exc}")
    reader = _Reader(export, actor)
    fh = export.outbox()
    if fh is None:
        return
    try:
        win = Window.opened(fh)
        if not open_array(win, b"orderedItems"):
            yield reader.problem("offset 0", "no `orderedItems` array: not an outbox")
            return
        for item in iter_items(win):
            if isinstance(item, Damage):
                complete = False
                yield reader.problem(item.where, item.message)
            else:
                for rec in reader.activity(f"item {item[0]}", item[1]):
                    complete = complete and not isinstance(rec, Problem)
                    yield rec
    except ERRORS as exc:  # a corrupt zip or gzip stream: the activities read before it are kept
        yield reader.problem(f"after item {reader.n}", f"damaged archive ({exc}); the items before it were read")
        return
    if complete and reader.owner.id:
        yield Scope(kind="account", key=f"mastodon:{reader.owner.id}")


class _Reader:
    """Turns the outbox's activities into posts, with the export's actor and media files."""

    def __init__(self, export: Export, actor: Actor | None) -> None:
        self.export = export
        self.actor_id = actor.id if actor is not None else None
        self.owner = actor_author(actor, None)
        self.n = 0
        inside = export.source.is_dir() or export.source.name != export.outbox_name
        self.prefix = f"{export.outbox_name}, " if inside else ""

    def problem(self, where: str, message: str) -> Problem:
        """A Problem named by the outbox's place in the export."""
        return Problem(source=str(self.export.source), where=self.prefix + where, message=message)

    def activity(self, where: str, raw: bytes) -> Iterator[Record]:
        """The post of one Create or Announce; other activities are skipped."""
        self.n += 1
        try:
            act, notes = decode_lenient(_activity, raw)
        except DECODE_ERRORS as exc:
            yield self.problem(where, f"bad activity JSON: {exc}")
            return
        yield from (self.problem(where, n) for n in notes)
        obj = bytes(act.object)
        if act.type == "Create":
            yield from self._create(where, act, obj, raw)
        elif act.type == "Announce":
            boosted = None
            if obj[:1] == b"{":  # a boost of one's own private post is written with the post inline
                inner = list(self._create(f"{where}, object", act, obj, obj))
                yield from inner
                boosted = next((r.id for r in inner if isinstance(r, Post)), None)
            elif obj[:1] == b'"':
                boosted = _uri.decode(obj)
            problems: list[str] = []
            post = announce_post(act, self._author(act.actor), raw, boosted, problems)
            yield from (self.problem(where, p) for p in problems)
            if not post.id:
                yield self.problem(where, "Announce without `id`; skipped")
                return
            yield post
        else:
            yield Skipped(reason=f"{where}: a {act.type or 'typeless'} activity, not a post")

    def _create(self, where: str, act: Activity, obj: bytes, raw: bytes) -> Iterator[Record]:
        try:
            note, notes = decode_lenient(_note, obj)
        except DECODE_ERRORS as exc:
            yield self.problem(where, f"bad Note JSON: {exc}")
            return
        yield from (self.problem(where, n) for n in notes)
        if not note.id:
            yield self.problem(where, "a Create whose object has no `id` (the status's URI); skipped")
            return
        problems: list[str] = []
        media = [self._media(a) for a in note.attachment if a.type != "Link"]
        post = note_post(note, self._author(note.attributed_to or act.actor), raw, media, problems)
        yield from (self.problem(where, p) for p in problems)
        yield post

    def _author(self, uri: str | None) -> Author:
        return self.owner if uri is None or uri == self.actor_id else actor_author(None, uri)

    def _media(self, a: Attachment) -> Media:
        url = a.url if a.url and a.url.startswith(("https://", "http://")) else None
        member = self.export.media.get(media_key(a.url or "")) if a.url else None
        kind = media_type(a.media_type)
        if member is None:
            return Media(type=kind, url=url, missing=bool(self.export.media) and url is None)
        return Media(type=kind, url=url, path=member, sha256=self.export.sha256(member))

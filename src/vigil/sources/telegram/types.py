"""The parts of a Telegram Desktop JSON export (result.json) that Vigil reads."""

from __future__ import annotations

import msgspec

from vigil.records import Scope


def is_placeholder(value: str) -> bool:
    """Whether Telegram Desktop wrote a note instead of a path: '(File not included. Change data exporting…)'."""
    text = value.strip()
    return not text or (text.startswith("(") and text.endswith(")"))


class TextPiece(msgspec.Struct):
    """One entity of a message text: plain, bold, link, text_link (with href), hashtag or mention."""

    type: str = "plain"
    text: str = ""
    href: str | None = None


class Reaction(msgspec.Struct):
    """A reaction and how many gave it."""

    type: str = "emoji"
    count: int = 0
    emoji: str | None = None


class Message(msgspec.Struct):
    """One message of a chat; `forwarded_from` is UNSET when the message was not forwarded."""

    id: int
    type: str = "message"
    date: str | None = None
    date_unixtime: str | int | None = None
    edited: str | None = None
    edited_unixtime: str | int | None = None
    from_: str | None = msgspec.field(name="from", default=None)
    from_id: str | int | None = None  # a number in exports before Telegram Desktop 2.5
    forwarded_from: str | None | msgspec.UnsetType = msgspec.UNSET
    reply_to_message_id: int | None = None
    reply_to_peer_id: str | None = None
    text: str | list[str | TextPiece] = ""
    text_entities: list[TextPiece] | None = None
    photo: str | None = None
    file: str | None = None
    thumbnail: str | None = None
    media_type: str | None = None
    mime_type: str | None = None
    reactions: list[Reaction] = []


class Chat(msgspec.Struct):
    """One chat: its name, type (public_channel, private_group, personal_chat), id and raw messages."""

    name: str | int | float | None = None  # (a number where a name should be is damage, not a lost chat)
    type: str | None = None
    id: int | str | None = None
    messages: list[msgspec.Raw] | None = None


class ChatList(msgspec.Struct):
    """The `chats` or `left_chats` section of a full account export (each chat read alone: damage stays in it)."""

    items: list[msgspec.Raw] = msgspec.field(name="list", default_factory=list)


class Export(msgspec.Struct):
    """result.json: one chat's export, or a full export with `chats.list` (and `left_chats.list`)."""

    name: str | int | float | None = None
    type: str | None = None
    id: int | str | None = None
    messages: list[msgspec.Raw] | None = None
    chats: ChatList | None = None
    left_chats: ChatList | None = None

    def all_chats(self) -> list[Chat | msgspec.Raw]:
        """The chats this file holds, in file order (those of a full export still raw, to be read one by one)."""
        found: list[Chat | msgspec.Raw] = []
        if self.messages is not None:
            found.append(Chat(name=self.name, type=self.type, id=self.id, messages=self.messages))
        for section in (self.chats, self.left_chats):
            if section is not None:
                found.extend(section.items)
        return found


CHANNEL_TYPES = ("public_channel", "private_channel")


def scope_of(chat: Chat) -> Scope:
    """A channel's export covers the channel account (its uid, as deletions match it); other chats, the chat."""
    if chat.type in CHANNEL_TYPES:
        return Scope(kind="channel", key=f"telegram:channel{chat.id}")
    return Scope(kind="chat", key=f"telegram:{chat.id}")

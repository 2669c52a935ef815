"""The archive's own wrappers around v1.1-style tweets, and its account and profile files."""

from __future__ import annotations

import msgspec


class Item(msgspec.Struct):
    """One element of tweets.js: `{"tweet": {...}}` (older archives give the tweet object itself)."""

    tweet: msgspec.Raw = msgspec.Raw()


class Account(msgspec.Struct, rename="camel"):
    """The archive owner's account (data/account.js)."""

    account_id: str | None = None
    username: str | None = None
    account_display_name: str | None = None


class AccountItem(msgspec.Struct):
    """One element of account.js."""

    account: Account | None = None


class Description(msgspec.Struct):
    """The profile's bio."""

    bio: str | None = None


class Profile(msgspec.Struct):
    """The owner's profile (data/profile.js)."""

    description: Description | None = None


class ProfileItem(msgspec.Struct):
    """One element of profile.js."""

    profile: Profile | None = None

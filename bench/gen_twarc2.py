"""Seeded, deterministic generator of synthetic twarc2 JSONL pages (Twitter API v2 responses).

Every page holds 100 tweets in `data` (about 25% retweets, some replies and quotes, the rest originals) and
`includes.users` / `includes.tweets` for the accounts and referenced tweets, as twarc2 writes them. Text is
English or Arabic crisis wording with hashtags, mentions and links (with entity offsets). All people, places
and accounts are invented. Same seed and size give the same bytes.

    python bench/gen_twarc2.py --tweets 200000 --seed 7 -o bench/out/tweets-200000.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

PAGE_SIZE = 100
BASE_ID = 1_850_000_000_000_000_000
BASE_TIME = datetime(2026, 3, 1, tzinfo=UTC)
N_USERS = 20_000
N_VIRAL = 3_000

PLACES_EN = [
    "Harbor District",
    "North Gate",
    "Old Market",
    "Al-Nour quarter",
    "the eastern camp",
    "Bridge Road",
    "Saint Elias hospital",
    "the stadium shelter",
    "Olive Hill",
    "the bakery street",
]
PLACES_AR = [
    "حي الميناء",
    "البوابة الشمالية",
    "السوق القديم",
    "حي النور",
    "المخيم الشرقي",
    "شارع الجسر",
    "مستشفى القديس إلياس",
    "ملجأ الملعب",
    "تلة الزيتون",
    "شارع المخبز",
]
TAGS = [
    "HarborUnderSiege",
    "SaveHarbor",
    "Harbor",
    "NorthGate",
    "ميناء_تحت_الحصار",
    "أنقذوا_الميناء",
    "StopTheShelling",
    "Evacuation",
    "ممر_آمن",
    "BloodNeeded",
]
SITES = [
    "https://relief.example.org/updates/",
    "https://news.example.net/live/",
    "https://maps.example.com/p/",
    "https://docs.example.org/d/",
]
EN = [
    "Please help, we are trapped in {place} with {n} children. No water since {day}.",
    "Heavy shelling near {place} right now, the building next to us is gone.",
    "This may be my last message. Tell my mother I love her. {place}",
    "Ambulances cannot reach {place}, the road is cut. {n} wounded waiting.",
    "Evacuation bus leaving {place} at {h}:00, families with children first.",
    "We need blood type O- at {place}, urgent, {n} units.",
    "Power is out again in {place}. Phones dying. Will post when I can.",
    "Confirmed: {n} killed in the strike on {place} this morning, names to follow.",
    "Still alive. Moved to {place}. Thank you all for the messages.",
    "Bakery in {place} open for one hour only, queue of {n} people.",
]
AR = [
    "أرجوكم ساعدونا، نحن محاصرون في {place} مع {n} أطفال. لا ماء منذ {day}.",
    "قصف عنيف قرب {place} الآن، المبنى المجاور لنا سقط.",
    "قد تكون هذه رسالتي الأخيرة. قولوا لأمي إنني أحبها. {place}",
    "سيارات الإسعاف لا تستطيع الوصول إلى {place}، الطريق مقطوع. {n} جرحى ينتظرون.",
    "حافلة الإجلاء تغادر {place} الساعة {h}، العائلات مع الأطفال أولاً.",
    "نحتاج دم من فصيلة O- في {place}، عاجل، {n} وحدات.",
    "انقطعت الكهرباء مرة أخرى في {place}. الهواتف تنطفئ.",
    "تأكيد: {n} شهداء في الغارة على {place} صباح اليوم.",
    "ما زلت حياً. انتقلت إلى {place}. شكراً لكم جميعاً.",
    "المخبز في {place} مفتوح لساعة واحدة فقط، طابور من {n} شخص.",
]
DAYS_EN = ["Monday", "Tuesday", "yesterday", "two days", "the weekend"]
DAYS_AR = ["الإثنين", "الثلاثاء", "أمس", "يومين", "نهاية الأسبوع"]


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class Generator:
    """Builds users, a pool of widely shared originals, then page after page of tweets."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.users = [self._user(i) for i in range(N_USERS)]
        self.viral: list[dict[str, object]] = []
        self.next_id = 0
        for _ in range(N_VIRAL):
            self.viral.append(self._tweet(self._new_id(), BASE_TIME - timedelta(hours=self.rng.randint(1, 72))))

    def _new_id(self) -> str:
        self.next_id += 1
        return str(BASE_ID + self.next_id * 4096 + self.rng.randint(0, 4095))

    def _user(self, i: int) -> dict[str, object]:
        r = self.rng
        arabic = r.random() < 0.45
        handle = f"{r.choice(['nurse', 'relay', 'harbor', 'voice', 'medic', 'teacher', 'news', 'abu', 'umm'])}_{i}"
        name = (
            r.choice(["أمل", "يوسف", "مريم", "خالد", "نور"])
            if arabic
            else r.choice(["Amal", "Youssef", "Maryam", "Khaled", "Nour", "Sam", "Lena"])
        )
        return {
            "id": str(10_000_000 + i * 7),
            "username": handle,
            "name": f"{name} {i % 97}",
            "description": r.choice(
                ["Nurse at the harbor clinic", "صحفي مستقل", "Teacher. Father of three.", "متطوع في الدفاع المدني", ""]
            ),
            "created_at": _iso(BASE_TIME - timedelta(days=r.randint(30, 4000))),
            "verified": r.random() < 0.02,
            "public_metrics": {
                "followers_count": r.randint(0, 90_000),
                "following_count": r.randint(0, 3000),
                "tweet_count": r.randint(10, 80_000),
                "listed_count": r.randint(0, 300),
            },
        }

    def _text(self) -> tuple[str, str, list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]:
        r = self.rng
        arabic = r.random() < 0.45
        tpl = r.choice(AR if arabic else EN)
        text = tpl.format(
            place=r.choice(PLACES_AR if arabic else PLACES_EN),
            n=r.randint(2, 60),
            day=r.choice(DAYS_AR if arabic else DAYS_EN),
            h=r.randint(6, 20),
        )
        hashtags: list[dict[str, object]] = []
        mentions: list[dict[str, object]] = []
        urls: list[dict[str, object]] = []
        if r.random() < 0.3:
            user = r.choice(self.users)
            handle = f"@{user['username']}"
            mentions.append({"start": 0, "end": len(handle), "username": user["username"], "id": user["id"]})
            text = f"{handle} {text}"
        for _ in range(r.choice((0, 1, 1, 2))):
            tag = r.choice(TAGS)
            start = len(text) + 1
            text = f"{text} #{tag}"
            hashtags.append({"start": start, "end": start + len(tag) + 1, "tag": tag})
        if r.random() < 0.25:
            short = f"https://t.co/{r.getrandbits(40):010x}"
            start = len(text) + 1
            text = f"{text} {short}"
            full = f"{r.choice(SITES)}{r.randint(1000, 99999)}"
            urls.append(
                {
                    "start": start,
                    "end": start + len(short),
                    "url": short,
                    "expanded_url": full,
                    "display_url": full.split("://", 1)[1][:25] + "…",
                }
            )
        return text, ("ar" if arabic else "en"), hashtags, mentions, urls

    def _metrics(self, scale: int) -> dict[str, int]:
        r = self.rng
        return {
            "retweet_count": r.randint(0, scale),
            "reply_count": r.randint(0, scale // 4 + 1),
            "like_count": r.randint(0, scale * 3),
            "quote_count": r.randint(0, scale // 10 + 1),
            "bookmark_count": r.randint(0, scale // 5 + 1),
            "impression_count": r.randint(0, scale * 60),
        }

    def _tweet(self, tid: str, at: datetime, user: dict[str, object] | None = None) -> dict[str, object]:
        r = self.rng
        user = user or r.choice(self.users)
        text, lang, hashtags, mentions, urls = self._text()
        tweet: dict[str, object] = {
            "id": tid,
            "text": text,
            "author_id": user["id"],
            "conversation_id": tid,
            "created_at": _iso(at),
            "lang": lang,
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "edit_history_tweet_ids": [tid],
            "public_metrics": self._metrics(400),
        }
        entities: dict[str, object] = {}
        if hashtags:
            entities["hashtags"] = hashtags
        if mentions:
            entities["mentions"] = mentions
        if urls:
            entities["urls"] = urls
        if entities:
            tweet["entities"] = entities
        return tweet

    def page(self, first: int, count: int) -> dict[str, object]:
        """One API response page holding tweets first..first+count-1 of the stream."""
        r = self.rng
        data: list[dict[str, object]] = []
        included: dict[str, dict[str, object]] = {}
        for k in range(first, first + count):
            at = BASE_TIME + timedelta(seconds=k // 2, milliseconds=(k % 2) * 500)
            tid = self._new_id()
            user = r.choice(self.users)
            roll = r.random()
            if roll < 0.25:
                orig = r.choice(self.viral)
                o_user = self.users[(int(str(orig["author_id"])) - 10_000_000) // 7]
                text = f"RT @{o_user['username']}: {orig['text']}"
                if len(text) > 140:
                    text = text[:139] + "…"
                tweet: dict[str, object] = {
                    "id": tid,
                    "text": text,
                    "author_id": user["id"],
                    "conversation_id": tid,
                    "created_at": _iso(at),
                    "lang": orig["lang"],
                    "possibly_sensitive": False,
                    "reply_settings": "everyone",
                    "edit_history_tweet_ids": [tid],
                    "referenced_tweets": [{"type": "retweeted", "id": orig["id"]}],
                    "entities": {
                        "mentions": [
                            {
                                "start": 3,
                                "end": 4 + len(str(o_user["username"])),
                                "username": o_user["username"],
                                "id": o_user["id"],
                            }
                        ]
                    },
                    "public_metrics": {
                        "retweet_count": 0,
                        "reply_count": 0,
                        "like_count": 0,
                        "quote_count": 0,
                        "bookmark_count": 0,
                        "impression_count": 0,
                    },
                }
                included[str(orig["id"])] = orig
            else:
                tweet = self._tweet(tid, at, user)
                if roll < 0.35:
                    orig = r.choice(self.viral)
                    tweet["referenced_tweets"] = [{"type": "replied_to", "id": orig["id"]}]
                    tweet["in_reply_to_user_id"] = orig["author_id"]
                    tweet["conversation_id"] = orig["id"]
                    included[str(orig["id"])] = orig
                elif roll < 0.40:
                    orig = r.choice(self.viral)
                    tweet["referenced_tweets"] = [{"type": "quoted", "id": orig["id"]}]
                    included[str(orig["id"])] = orig
                elif roll < 0.41:
                    long_text = " ".join([str(tweet["text"])] * 3)
                    tweet["note_tweet"] = {"text": long_text}
            data.append(tweet)
        user_ids: dict[object, None] = {}
        for t in [*data, *included.values()]:
            user_ids[t["author_id"]] = None
            ents = t.get("entities")
            if isinstance(ents, dict):
                for m in ents.get("mentions", []):
                    user_ids[m["id"]] = None
        users = [self.users[(int(str(uid)) - 10_000_000) // 7] for uid in user_ids]
        newest, oldest = data[-1]["id"], data[0]["id"]
        return {
            "data": data,
            "includes": {"users": users, "tweets": list(included.values())},
            "meta": {
                "newest_id": newest,
                "oldest_id": oldest,
                "result_count": len(data),
                "next_token": f"b26v89c19zqg8o3f{first:012d}",
            },
            "__twarc": {
                "url": "https://api.twitter.com/2/tweets/search/all?query=%23HarborUnderSiege",
                "version": "2.14.0",
                "retrieved_at": _iso(BASE_TIME + timedelta(days=3)),
            },
        }


def iter_lines(tweets: int, seed: int = 7) -> Iterator[bytes]:
    """The JSONL lines (with newline) of a file holding `tweets` tweets in `data`."""
    gen = Generator(seed)
    for first in range(0, tweets, PAGE_SIZE):
        page = gen.page(first, min(PAGE_SIZE, tweets - first))
        yield json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def write(path: Path, tweets: int, seed: int = 7) -> Path:
    """Write the file (atomically: a partial file never keeps the final name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with tmp.open("wb") as fh:
        for line in iter_lines(tweets, seed):
            fh.write(line)
    tmp.replace(path)
    return path


def ensure(out_dir: Path, tweets: int, seed: int = 7) -> Path:
    """The generated file for this size and seed, generated once and reused."""
    path = out_dir / f"tweets-{tweets}-seed{seed}.jsonl"
    if not path.exists():
        write(path, tweets, seed)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    write(args.output, args.tweets, args.seed)


if __name__ == "__main__":
    main()

from __future__ import annotations

import hashlib
import json

from bench_script import load

from vigil.ingest.pipeline import detect
from vigil.records import Post, Problem
from vigil.sources.base import ImportOptions
from vigil.sources.twarc2.importer import Twarc2Importer


def _gen():
    return load("gen_twarc2")


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    gen = _gen()
    a = gen.write(tmp_path / "a.jsonl", 250, seed=3)
    b = gen.write(tmp_path / "b.jsonl", 250, seed=3)
    c = gen.write(tmp_path / "c.jsonl", 250, seed=4)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b, c)]
    assert digest[0] == digest[1] != digest[2]
    assert gen.ensure(tmp_path, 250, seed=3).read_bytes() == a.read_bytes()


def test_pages_look_like_twarc2_and_the_importer_reads_them_cleanly(tmp_path):
    gen = _gen()
    path = gen.write(tmp_path / "t.jsonl", 1000, seed=7)
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [len(p["data"]) for p in pages] == [100] * 10
    data = [t for p in pages for t in p["data"]]
    retweets = [t for t in data if any(r["type"] == "retweeted" for r in t.get("referenced_tweets", []))]
    assert 0.2 < len(retweets) / len(data) < 0.3
    for page in pages:  # every referenced tweet and every author is in the page's includes
        included = {t["id"] for t in page["includes"]["tweets"]}
        users = {u["id"] for u in page["includes"]["users"]}
        for t in page["data"]:
            assert t["author_id"] in users
            assert {r["id"] for r in t.get("referenced_tweets", [])} <= included
    langs = {t["lang"] for t in data}
    assert langs == {"en", "ar"}
    assert any(t.get("entities", {}).get("urls") for t in data)
    assert any(t.get("entities", {}).get("hashtags") for t in data)

    assert detect(path, ImportOptions()).importer.name == "twarc2"
    recs = list(Twarc2Importer().iter_records(path, ImportOptions()))
    assert not [r for r in recs if isinstance(r, Problem)]
    posts = {r.uid: r for r in recs if isinstance(r, Post)}
    assert len([r for r in recs if isinstance(r, Post)]) > 1000  # referenced tweets come too
    rt = posts[f"twitter:{retweets[0]['id']}"]
    original = posts[f"twitter:{retweets[0]['referenced_tweets'][0]['id']}"]
    assert rt.kind == "repost" and rt.text == original.text and not rt.text.startswith("RT @")
    assert any(p.lang == "ar" and p.hashtags for p in posts.values())

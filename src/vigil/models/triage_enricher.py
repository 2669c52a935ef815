"""The built-in model enricher: after the rules, it adds the labels the shipped model finds, with scores and words."""

from __future__ import annotations

import os
import sys
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vigil.models.farewell import FAREWELL
from vigil.records import Post
from vigil.text.memo import Memo

if TYPE_CHECKING:
    from vigil.models.combine import Policy

MAX_CHARS = 2_000  # what the model reads of a long text (a transcript): its beginning
MEMO_SIZE = 20_000  # texts whose scores are remembered (reposts of one text are scored once)
_said: list[str] = []  # the one-line warning, once per process


class Scored(NamedTuple):
    """The model's view of one text: each head's probability, and the scores its posts export."""

    p: dict[str, float]
    scores: dict[str, float]


class BuiltinModelError(Exception):
    """The built-in model cannot be used (message names the file)."""


ENV = "VIGIL_TRIAGE_MODEL"  # a folder holding triage.json + triage.npz to use instead, or "off" for the rules alone


def _load() -> Any:
    """The model (shipped, or the folder VIGIL_TRIAGE_MODEL names), None when off, or why it cannot be used."""
    setting = os.environ.get(ENV, "")
    return None if setting == "off" else _load_from(setting)


def _checked() -> str | None:
    """None when the model's files are whole (checked without loading them: no numpy), else "off" or why not."""
    setting = os.environ.get(ENV, "")
    if setting == "off":
        return "off"
    from vigil.models.triage_files import ModelFileError, check

    try:
        check(Path(setting) if setting else None)
    except ModelFileError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=2)
def _load_from(folder: str) -> Any:
    from vigil.models.triage_model import ModelFileError, load

    try:
        return load(Path(folder) if folder else None).joined()
    except ModelFileError as exc:
        return str(exc)


def _warn(reason: str) -> None:
    if not _said:
        _said.append(reason)
        print(
            f"warning: built-in triage model not used ({reason}); triage goes on with the rules alone", file=sys.stderr
        )


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def own_labels(folder: Path) -> frozenset[str]:
    """Labels a workspace's lexicon rows give (positive weight): the desk wrote them for its crisis."""
    out = set()
    for f in sorted(folder.glob("*.tsv")) if folder.is_dir() else ():
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and not parts[0].startswith("#"):
                try:
                    if float(parts[2]) > 0:
                        out.add(parts[0].strip())
                except ValueError:
                    continue  # the header, or a row the triage enricher reports
    return frozenset(out)


class TriageModelEnricher:
    """Runs after the triage enricher: scores, model labels with their words, eyewitness/informative/priority."""

    name = "triage-model"
    order = 20

    def __init__(self) -> None:
        self.model: Any = None
        self.broken: str | None = None
        self._memo: Memo[str, Scored] = Memo(MEMO_SIZE)
        self._said_words: Memo[tuple[str, str], list[str]] = Memo(MEMO_SIZE)
        self.own: frozenset[str] = frozenset()  # labels the workspace's own lexicon rows give: never overruled
        self.rules: Any = None  # the triager as the triage enricher ran it: its weak farewell signs

    def __getstate__(self) -> dict[str, Any]:
        """Sent to an ingest worker: the model's files are checked here first, so a broken one is reported once."""
        broken = _checked()
        if broken is not None and broken != "off":
            _warn(broken)
        return {
            "model": None,
            "broken": broken,
            "_memo": Memo(MEMO_SIZE),
            "_said_words": Memo(MEMO_SIZE),
            "own": self.own,
            "rules": None,
        }

    def prepare(self, ws: Any) -> None:
        """Load the shipped weights once per process (a bad file: one warning, then rules alone)."""
        if ws is not None:
            self.own = own_labels(Path(ws.path) / "lexicons")
        if self.broken is not None:
            return
        from vigil.triage.engine import Triager

        self.rules = Triager.for_workspace(Path(ws.path) if ws is not None else None)
        got = _load()
        if got is None or isinstance(got, str):
            self.broken = got or "off"
            if got:
                _warn(got)
            return
        self.model = got

    def _words(self, asks: list[tuple[tuple[str, str], list[str]]], text: str, head: str) -> list[str]:
        """The list of the words that weighed most for a head, per text (reposts share it); `enrich` fills new ones."""
        key = (text, head)
        got = self._said_words.get(key)
        if got is None:
            got = self._said_words.keep(key, [])
            asks.append((key, got))
        return got

    def enrich(self, posts: list[Post]) -> None:
        """Merge the model's view into each post's enrichment (posts without letters are left to the rules)."""
        if self.model is None:
            if self.broken is not None:
                return
            self.prepare(None)
            if self.model is None:
                return
        from vigil.models.combine import combine, exported_scores
        from vigil.models.farewell import complete
        from vigil.models.triage_model import LANG_GROUPS, lang_group
        from vigil.triage.engine import MEMO_TEXT, post_text

        model, memo = self.model, self._memo
        fulls = [post_text(p.text, p.title, p.transcript) for p in posts]  # as the rules read them
        texts = [full[:MAX_CHARS] for full in fulls]
        todo = list(dict.fromkeys(t for t in texts if t not in memo and _has_letters(t)))
        got = {t: memo[t] for t in texts if t in memo}
        if todo:
            proba = model.proba(todo)
            for t, row, scores in zip(todo, proba.tolist(), exported_scores(proba, model.heads), strict=True):
                got[t] = Scored(dict(zip(model.heads, row, strict=True)), scores)
            memo.make_room(len(todo))
            memo.update((t, got[t]) for t in todo)
        views = {g: (model.thresholds[g], self._policy(g)) for g in LANG_GROUPS}
        asks: list[tuple[tuple[str, str], list[str]]] = []  # (text, head) whose words are wanted, and their list
        farewells: list[tuple[Post, str, list[str]]] = []  # posts the farewell head completes, and the rules' signs
        weak = self.rules.weak_signs if FAREWELL in model.heads else None
        for post, full, text in zip(posts, fulls, texts, strict=True):
            scored = got.get(text)
            if scored is None:
                continue
            e = post.enrichment
            lang = post.lang or e.get("lang")
            thresholds, policy = views[lang_group(lang if isinstance(lang, str) else None)]
            words = partial(self._words, asks, text)
            combine(e, scored.p, thresholds, post.kind, words, policy, scored.scores)
            if weak is not None and thresholds[FAREWELL] < 1.0 and scored.p[FAREWELL] >= thresholds[FAREWELL]:
                labels = e.get("labels")  # a farewell the rules saw only a weak sign of (a transcript not read again)
                if isinstance(labels, list) and FAREWELL not in labels and len(full) <= MEMO_TEXT:
                    signs = weak(full).get(FAREWELL)
                    if signs:
                        farewells.append((post, text, signs))
        said = model.top_words([key for key, _ in asks] + [(text, FAREWELL) for _, text, _ in farewells])
        for (_, out), found in zip(asks, said[: len(asks)], strict=True):
            out.extend(found)
        for (post, text, signs), found in zip(farewells, said[len(asks) :], strict=True):
            complete(post.enrichment, got[text].p[FAREWELL], signs, found)

    def _policy(self, group: str) -> Policy:
        """A language group's policy, without floors for the labels the workspace's own lexicon rows give."""
        policy = self.model.policy(group)
        if self.own and policy.floors:
            policy = policy._replace(floors={k: v for k, v in policy.floors.items() if k not in self.own})
        return policy

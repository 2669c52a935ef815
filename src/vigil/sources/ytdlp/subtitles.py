"""Subtitle files beside an .info.json: find them, pick one, read WebVTT/SRT cues, undo rolling captions."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError

from vigil.records import Problem

SUFFIXES = (".vtt", ".srt")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_BLOCK_KEYWORDS = ("NOTE", "STYLE", "REGION")


@dataclass
class SubtitleFile:
    """A subtitle file on disk, its language and whether it was made by hand."""

    path: Path
    lang: str
    manual: bool | None  # None: the .info.json does not say


def find(info_path: Path, stem: str, langs: set[str], manual: set[str], auto: set[str]) -> list[SubtitleFile]:
    """Sibling files NAME.LANG.vtt / NAME.LANG.srt of NAME.info.json (languages named in the metadata first)."""
    folder = info_path.parent
    found: dict[Path, str] = {}
    for lang in sorted(langs):
        for suffix in SUFFIXES:
            p = folder / f"{stem}.{lang}{suffix}"
            if p.is_file():
                found[p] = lang
    if not found:  # no listed language on disk: look at every sibling (subtitles added by hand)
        prefix = stem + "."
        for p in folder.iterdir():
            if p.suffix.lower() in SUFFIXES and p.name.startswith(prefix) and p.is_file():
                lang = p.name[len(prefix) : -len(p.suffix)]
                if lang and "." not in lang:
                    found[p] = lang
    return [
        SubtitleFile(p, lang, True if lang in manual else False if lang in auto else None) for p, lang in found.items()
    ]


def _base(lang: str | None) -> str:
    return (lang or "").lower().replace("_", "-").split("-")[0]


def ranked(files: list[SubtitleFile], video_lang: str | None) -> list[SubtitleFile]:
    """Best first: made by hand over automatic, the video's language, else English, else the rest."""

    def key(f: SubtitleFile) -> tuple[int, int, int, str]:
        made = 0 if f.manual else 1 if f.manual is None else 2
        base = _base(f.lang)
        lang = 0 if video_lang and base == _base(video_lang) else 1 if base == "en" else 2
        exact = 0 if f.lang.lower() in ((video_lang or "").lower(), "en") else 1
        return made, lang, exact, f.path.name

    return sorted(files, key=key)


def _blocks(lines: list[str], vtt: bool) -> list[tuple[int, list[str]]]:
    """Blocks of lines with their first line number; in WebVTT only an empty line ends a block."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for n, line in enumerate(lines, 1):
        if line if vtt else line.strip():
            if not current:
                start = n
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def read_cues(path: Path) -> list[list[str]] | Problem:
    """The text lines of every cue (tags stripped, entities decoded), or the Problem that makes the file unreadable."""
    src = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Problem(source=src, where="-", message=f"cannot read subtitles: {exc.strerror}")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(source=src, where=f"line {line}", message="invalid UTF-8 in subtitles; transcript left out")
    lines = _LINE_BREAK.split(text)
    is_vtt = path.suffix.lower() == ".vtt"
    blocks = _blocks(lines, is_vtt)
    if is_vtt:
        if not lines or not _HEADER.match(lines[0]):
            return Problem(source=src, where="line 1", message="not WebVTT (no WEBVTT header); transcript left out")
        blocks = blocks[1:] if blocks and blocks[0][0] == 1 else blocks
    cues: list[list[str]] = []
    for start, block in blocks:
        if is_vtt and block[0].startswith(_BLOCK_KEYWORDS) and "-->" not in block[0]:
            continue
        at = 0 if "-->" in block[0] else 1 if len(block) > 1 and "-->" in block[1] else -1
        if at < 0:
            return Problem(source=src, where=f"line {start}", message="text without cue timings; transcript left out")
        m = _TIMING.match(block[at])
        payload = block[at + 1 :]
        bad_arrow = next((i for i, line in enumerate(payload) if "-->" in line), None)
        if bad_arrow is not None:
            where = f"line {start + at + 1 + bad_arrow}"
            return Problem(source=src, where=where, message="cue timings inside cue text; transcript left out")
        try:
            if m is None:
                raise MalformedCaptionError(f"Invalid cue timings {block[at]!r}")
            caption = webvtt.Caption(m.group(1).replace(",", "."), m.group(2).replace(",", "."), payload)
        except MalformedCaptionError as exc:
            return Problem(source=src, where=f"line {start + at}", message=f"{exc}; transcript left out")
        cues.append([html.unescape(line) for line in caption.text.split("\n")])
    return cues


def plain_text(cues: list[list[str]]) -> str:
    """Caption lines as plain text, without the repeats of rolling (YouTube automatic) captions."""
    out: list[str] = []
    for cue in cues:
        lines = [" ".join(line.split()) for line in cue]
        lines = [line for line in lines if line]
        overlap = 0
        for k in range(min(len(lines), len(out)), 0, -1):
            if lines[:k] == out[-k:]:
                overlap = k
                break
        for line in lines[overlap:]:
            if out and line == out[-1]:
                continue
            if out and line.startswith(out[-1] + " "):  # a line that grows word by word
                out[-1] = line
            else:
                out.append(line)
    return "\n".join(out)

"""Cleaned views of a document's text that map every character back to the text as read.

Cleaning (taz table borders ``| ... | |``, ``> `` standfirst markers, hard line wraps, runs of white
space) happens only here, on a *view*; nothing downstream holds an offset into a cleaned copy without
its map. ``View.orig_span`` turns a view span into ``(start, end)`` of ``Document.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from reconcile.model import Span

__all__ = ["Line", "View", "split_lines", "build_view", "is_bordered"]

_BORDER_OPEN = re.compile(r"^\|\s?")
_BORDER_CLOSE = re.compile(r"\s?\|\s*\|?\s*$")
_STANDFIRST = re.compile(r"^>\s?")
_HEADING = re.compile(r"^#{1,6}\s")
_SENT_END = re.compile(r"[.!?:;\"“”»«)…]\s*$")
_WORD = re.compile(r"\S+")
_FOLDED = re.compile(r"\s\s|[^\S ]|\u00ad")  # what the view folds: runs, tabs, no-break spaces, soft hyphens
_SOFT_HYPHEN = "\u00ad"


@dataclass
class Line:
    """One physical line: where it starts and ends, and where its content sits inside the borders."""

    start: int
    end: int
    cstart: int
    cend: int
    kind: str  # text | heading | standfirst | blank

    def content(self, text: str) -> str:
        """The line's content inside its borders and markers."""
        return text[self.cstart:self.cend]


@dataclass
class View:
    """A cleaned text plus ``pos``: for each view character, its index in the original text."""

    text: str
    pos: list[int]  # a list, not an array: extending a list by a range is five times faster
    blocks: list[tuple[int, int]] = field(default_factory=list)

    def orig(self, i: int) -> int:
        """The offset in the original text of view character ``i``."""
        return self.pos[i]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span to the original text; ``end`` is exclusive in both."""
        if end <= start:
            o = self.pos[start] if start < len(self.pos) else (self.pos[-1] + 1 if len(self.pos) else 0)
            return o, o
        return self.pos[start], self.pos[end - 1] + 1


def is_bordered(text: str) -> bool:
    """True for the taz export format, where most lines are wrapped in ``| ... | |``."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return False
    bordered = sum(1 for ln in lines if ln.startswith("|"))
    return bordered / len(lines) >= 0.5


def split_lines(text: str, bordered: bool | None = None) -> list[Line]:
    """Split into lines and find each line's content inside table borders and standfirst markers."""
    if bordered is None:
        bordered = is_bordered(text)
    out: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        start = pos
        pos += len(raw)
        body = raw.rstrip("\r\n")
        end = start + len(body)
        cs, ce = 0, len(body)
        if bordered:
            m = _BORDER_OPEN.match(body)
            if m:
                cs = m.end()
            m2 = _BORDER_CLOSE.search(body, cs)
            if m2 and m2.start() >= cs:
                ce = m2.start()
        kind = "text"
        m3 = _STANDFIRST.match(body[cs:ce])
        if m3:
            cs += m3.end()
            kind = "standfirst"
        # trim white space inside the content bounds
        while cs < ce and body[cs].isspace():
            cs += 1
        while ce > cs and body[ce - 1].isspace():
            ce -= 1
        if cs >= ce:
            kind = "blank"
        elif _HEADING.match(body[cs:ce]):
            kind = "heading"
        out.append(Line(start, end, start + cs, start + ce, kind))
    return out


def _wrapped(text: str, lines: list[Line]) -> bool:
    """Hard-wrapped prose: most content lines are long and do not end a sentence."""
    contents = [ln for ln in lines if ln.kind in ("text", "standfirst")]
    if len(contents) < 4:
        return False
    lengths = sorted(ln.cend - ln.cstart for ln in contents)
    median = lengths[len(lengths) // 2]
    open_ends = sum(1 for ln in contents if not _SENT_END.search(ln.content(text)))
    return 50 <= median <= 100 and open_ends / len(contents) > 0.5


class _Cover:
    """Answers "does one of these spans contain [start, end)?" in log time (lines x spans was slow)."""

    def __init__(self, spans: list[Span]) -> None:
        ordered = sorted(spans, key=lambda sp: sp.start)
        self.starts = [sp.start for sp in ordered]
        self.max_end: list[int] = []
        top = -1
        for sp in ordered:
            top = max(top, sp.end)
            self.max_end.append(top)

    def covers(self, start: int, end: int) -> bool:
        """True when one of the spans contains [start, end)."""
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.max_end[i] >= end


def _broken(prev: str, content: str) -> bool:
    """A hard line break inside a sentence: the line before ends no sentence and is long, or the next goes
    on in lower case or with a number or unit ("um 6,3\nProzent", "Das Bruttoinlandsprodukt\n(BIP) ...")."""
    if not prev or _SENT_END.search(prev):
        return False
    return len(prev) >= 40 or content[:1].islower() or content[:1].isdigit() or prev[-1:].isdigit()


def _append_content(parts: list[str], pos: list[int], content: str, cstart: int) -> int:
    """Append one line's content to the view, white space folded and soft hyphens dropped; its length.

    A printable line without a double space holds nothing to fold (``isprintable`` is False for every white
    space but the plain space, and for the soft hyphen): that test is far cheaper than the pattern's."""
    if ("  " not in content and content.isprintable()) or not _FOLDED.search(content):
        # nothing to fold: the line maps one to one (most lines; the per-word path below is slow)
        parts.append(content)
        pos.extend(range(cstart, cstart + len(content)))
        return len(content)
    added = 0
    for m in _WORD.finditer(content):
        if added:
            parts.append(" ")
            pos.append(cstart + m.start() - 1)
            added += 1
        w = m.group()
        a = cstart + m.start()
        if _SOFT_HYPHEN in w:  # "Bundes\u00adtag" reads as "Bundestag"; each kept letter keeps its offset
            keep = [i for i, ch in enumerate(w) if ch != _SOFT_HYPHEN]
            w = "".join(w[i] for i in keep)
            pos.extend(a + i for i in keep)
        else:
            pos.extend(range(a, a + len(w)))
        parts.append(w)
        added += len(w)
    return added


def build_view(text: str, skipped: list[Span] | None = None, lines: list[Line] | None = None,
               limit: int | None = None) -> View:
    """Build the cleaned view of ``text``, leaving out lines that lie inside ``skipped`` spans.

    Blocks (paragraphs, headings) are separated by a newline in the view; lines of one block are joined
    with a single space, and white space runs are folded to one space. A title (a skipped ``heading``
    span) stays in the view as a block of its own: headlines state figures too. Lines of hard-wrapped
    prose join into one block, and so does a line broken inside a sentence. With ``limit``, stop once
    the view holds that many characters (a sample for language detection).
    """
    cover = _Cover([sp for sp in skipped or [] if sp.kind != "heading"])
    titles = _Cover([sp for sp in skipped or [] if sp.kind == "heading"])
    if lines is None:
        lines = split_lines(text)
    wrapped = _wrapped(text, lines)
    parts: list[str] = []
    pos: list[int] = []
    blocks: list[tuple[int, int]] = []
    block_start: int | None = None
    prev_kind, prev_content = "blank", ""
    for ln in lines:
        if limit is not None and len(pos) >= limit:
            break
        if ln.kind == "blank" or cover.covers(ln.start, ln.end):
            if block_start is not None and len(pos) > block_start:
                blocks.append((block_start, len(pos)))
            block_start, prev_kind = None, "blank"
            continue
        content = ln.content(text)
        kind = "heading" if titles.covers(ln.start, ln.end) else ln.kind
        joins = (block_start is not None and kind == prev_kind and kind in ("text", "standfirst")
                 and (wrapped or _broken(prev_content, content)))
        if not joins:
            if block_start is not None and len(pos) > block_start:
                blocks.append((block_start, len(pos)))
            if pos:
                parts.append("\n")
                pos.append(ln.cstart - 1 if ln.cstart > 0 else 0)
            block_start = len(pos)
        elif not (parts[-1].endswith("-") and content[:1].islower()):
            parts.append(" ")
            pos.append(ln.cstart - 1 if ln.cstart > 0 else 0)
        _append_content(parts, pos, content, ln.cstart)
        prev_kind, prev_content = kind, content
    if block_start is not None and len(pos) > block_start:
        blocks.append((block_start, len(pos)))
    return View("".join(parts), pos, blocks)

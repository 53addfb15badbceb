"""Full-text search over transcripts, Chinese-aware.

Segments store their jieba tokens (search mode, so 大额存单 also yields 存单) joined
by spaces. PostgreSQL searches them with a GIN-indexed ``to_tsvector('simple', ...)``;
SQLite, the embedded default, matches each query token as a whole token with LIKE.

Personal numbers: ``search_text`` is built from the masked text (a number split
over two turns included), so a reader without the pii permission can never find a
call by a digit it may not see; the unmasked tokens sit in ``search_text_pii``,
only where masking changed the text, and only a reader who may see PII (and asks
with show_pii) matches against them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jieba
from sqlalchemy import ColumnElement, and_, func

import nlp
from callsight.db.models import SegmentRow
from nlp.pii import mask_turns

jieba.setLogLevel(logging.WARNING)

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    # The finance dictionary lives with nlp/ so that search and analysis split alike.
    user_dict = Path(nlp.__file__).resolve().parent / "finance_dict.txt"
    if user_dict.exists():
        tok.load_userdict(str(user_dict))
    return tok


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for tok in _tokenizer().cut_for_search(text):
        tok = _PUNCT.sub("", tok).lower()
        if tok:
            out.append(tok)
    return out


def search_text(text: str) -> str:
    """What is stored in ``segments.search_text``: tokens padded by spaces."""
    toks = tokens(text)
    return f" {' '.join(toks)} " if toks else ""


def index_segments(segments: Sequence[tuple[str | None, str]]) -> list[tuple[str, str | None]]:
    """(search_text, search_text_pii) for each (speaker, text) of one call, in order:
    the masked text's tokens, and the unmasked ones where masking changed the text."""
    out: list[tuple[str, str | None]] = []
    for (_, text), masked in zip(segments, mask_turns(segments), strict=True):
        out.append((search_text(masked), search_text(text) if masked != text else None))
    return out


def query_tokens(query: str) -> list[str]:
    # Search mode would also split the query into sub-words and demand them all;
    # exact mode keeps the user's words as typed.
    seen: dict[str, None] = {}
    for tok in _tokenizer().cut(query):
        tok = _PUNCT.sub("", tok).lower()
        if tok:
            seen[tok] = None
    return list(seen)


def phrase(query: str) -> str | None:
    """The exact phrase of a "quoted" query (straight or Chinese quotes), else None."""
    q = query.strip()
    if len(q) > 2 and q[0] in "\"“「" and q[-1] in "\"”」":
        return q[1:-1].strip() or None
    return None


def highlights(text: str, query: str) -> list[tuple[int, int]]:
    """[start, end) character spans of the query's words (or its phrase) in ``text``, for
    highlighting hits; overlapping spans merge. Masked digits never match a word of digits."""
    exact = phrase(query)
    needles = [exact] if exact else [t for t in query_tokens(query) if t]
    low = text.lower()
    spans: list[tuple[int, int]] = []
    for n in needles:
        at = low.find(n.lower())
        while at >= 0:
            spans.append((at, at + len(n)))
            at = low.find(n.lower(), at + len(n))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def match_clause(dialect: str, toks: list[str], *, pii: bool = False) -> ColumnElement[bool]:
    """Segments holding every token; ``pii``: match the unmasked tokens (a reader who may
    see personal data), else only the masked index."""
    column: ColumnElement[str] = (func.coalesce(SegmentRow.search_text_pii, SegmentRow.search_text) if pii
                                  else SegmentRow.search_text)  # type: ignore[assignment]
    if dialect == "postgresql":
        return func.to_tsvector("simple", column).op("@@")(
            func.to_tsquery("simple", " & ".join(_pg_quote(t) for t in toks))
        )
    return and_(*(column.contains(f" {t} ", autoescape=True) for t in toks))


def _pg_quote(tok: str) -> str:
    return "'" + tok.replace("'", "''").replace("\\", "") + "'"

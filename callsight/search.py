"""Full-text search over transcripts, Chinese-aware.

Segments store their jieba tokens (search mode, so 大额存单 also yields 存单) joined
by spaces. PostgreSQL searches them with a GIN-indexed ``to_tsvector('simple', ...)``;
SQLite, the embedded default, matches each query token as a whole token with LIKE.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
from sqlalchemy import ColumnElement, and_, func

import nlp
from callsight.db.models import SegmentRow

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


def match_clause(dialect: str, toks: list[str]) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return func.to_tsvector("simple", SegmentRow.search_text).op("@@")(
            func.to_tsquery("simple", " & ".join(_pg_quote(t) for t in toks))
        )
    return and_(*(SegmentRow.search_text.contains(f" {t} ", autoescape=True) for t in toks))


def _pg_quote(tok: str) -> str:
    return "'" + tok.replace("'", "''").replace("\\", "") + "'"

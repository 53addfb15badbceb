"""E-mail addresses in what people said, typed or as ASR writes them (zhang3 艾特 163
点 com): nlp.pii masks them with the numbers."""

from __future__ import annotations

import re

__all__ = ["find_emails"]

# Latin local part, @ (or as ASR writes it: 艾特, " at "), a domain of dotted labels
# (dots as 点 / dot) ending in a common top-level domain.
_DOT = r"\s*(?:\.|点|。|\s+dot\s+)\s*"
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)\s*(?:@|＠|艾特|\s+at\s+)\s*"
    rf"((?:[A-Za-z0-9-]+{_DOT})+(?:com|cn|net|org|edu|gov|cc|info|hk|top|me))(?![A-Za-z])",
    re.IGNORECASE,
)


def find_emails(text: str) -> list[tuple[tuple[int, ...], str, tuple[int, int]]]:
    """Each address as (the positions of the whole address, the address normalised,
    characters left visible at the front and back): all of the local part but its
    first character is masked (z*******@163.com)."""
    out: list[tuple[tuple[int, ...], str, tuple[int, int]]] = []
    for m in _EMAIL.finditer(text):
        local, domain = m.group(1), m.group(2)
        address = f"{local}@{re.sub(_DOT, '.', domain)}".lower()
        out.append((tuple(range(m.start(), m.end())), address, (1, m.end() - m.end(1))))
    return out

"""The domain vocabulary that biases Whisper towards finance terms (理财, not 李财)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_HOTWORDS_FILE = Path(__file__).with_name("hotwords_zh.txt")


def load_hotwords(path: str | Path = DEFAULT_HOTWORDS_FILE) -> tuple[str, ...]:
    """Terms, one per line; blank lines and ``#`` comments skipped, order kept, no repeats."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"hotwords file {p} does not exist")
    seen: dict[str, None] = {}
    for line in p.read_text(encoding="utf-8").splitlines():
        term = line.split("#", 1)[0].strip()
        if term:
            seen.setdefault(term, None)
    return tuple(seen)


def hotword_prompt(terms: tuple[str, ...]) -> str | None:
    """faster-whisper takes hotwords as one string placed in every window's prompt."""
    return "，".join(terms) if terms else None

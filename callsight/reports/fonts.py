"""Embedding a CJK font in a self-contained HTML report: only the glyphs the page
uses (a few hundred characters, ~100 KB instead of ~20 MB), as a base64
``@font-face``, so the page prints the same on a machine without Chinese fonts."""

from __future__ import annotations

import base64
import io
import threading
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError

FAMILY = "ReportCJK"
CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian fonts-noto-cjk
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)
_lock = threading.Lock()


def find_font(configured: Path | None) -> Path | None:
    if configured is not None:
        return configured if configured.is_file() else None
    return next((p for p in CANDIDATES if p.is_file()), None)


@lru_cache(maxsize=2)
def _font_bytes(path: Path) -> tuple[bytes, int]:
    """The font file once per process, and which face of a collection is Simplified Chinese."""
    data = path.read_bytes()
    index = 0
    if data[:4] == b"ttcf":
        for i in range(int.from_bytes(data[8:12], "big")):
            name = TTFont(io.BytesIO(data), fontNumber=i, lazy=True)["name"].getDebugName(1) or ""
            if name.endswith(" SC"):
                index = i
                break
    return data, index


def font_face_css(path: Path | None, text: str) -> str:
    """An ``@font-face`` rule with the subset of ``path`` covering ``text``; empty
    when there is no usable font (the page then falls back to the system's fonts)."""
    if path is None:
        return ""
    try:
        data, index = _font_bytes(path)
        font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
        options = subset.Options()
        options.layout_features = []  # plain horizontal Chinese text needs no OpenType features
        options.name_IDs = [1, 2]
        options.hinting = False
        sub = subset.Subsetter(options)
        sub.populate(text="".join(sorted(set(text))) + "0123456789.%")
        with _lock:  # fontTools is not thread-safe on one font object; keep it simple
            sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
    except (OSError, TTLibError, KeyError) as exc:
        return f"/* CJK font not embedded: {type(exc).__name__} */"
    b64 = base64.b64encode(buf.getvalue()).decode()
    return f'@font-face{{font-family:"{FAMILY}";src:url(data:font/otf;base64,{b64}) format("opentype");}}'

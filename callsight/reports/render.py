"""HTML (Jinja2 templates, inline SVG charts, an embedded CJK font subset) and PDF
(headless Chromium, when installed) from a report's stored content."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from callsight.reports import charts
from callsight.reports.fonts import font_face_css
from callsight.reports.prose import pct

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_SLOT = "/*FONT*/"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
_env.globals["pct"] = pct
_TAGS = re.compile(r"<[^>]+>|&\w+;")


def _branch_charts(r: dict[str, Any]) -> dict[str, str]:
    s = r.get("sections")
    if not s:
        return {}
    items = [i for i in s["intents"]["items"] if i["count"]][:8]
    peers = s["marketing"].get("peers") or {}
    rules = s["quality"]["rules"][:8]
    return {
        "intents": charts.bars([(i["label"], i["share"], i["prev_share"]) for i in items], title="问询方向占比"),
        "peers": charts.strip(peers.get("distribution") or [], s["marketing"]["taken_rate"]
                              if s["marketing"]["openings"] else None, title="同类网点开口率分布"),
        "complaints": charts.bars([(c["category"], float(c["count"]), float(c["prev_count"]))
                                   for c in s["complaints"]["categories"] if c["count"] or c["prev_count"]],
                                  unit="通", title="投诉类别"),
        "rules": charts.bars([(r_["title"][:10], r_["rate"], r_["prev_rate"] if r_["prev_applicable"] else None)
                              for r_ in rules], title="质检项通过率（最低的8项）"),
    }


def render_html(content: dict[str, Any], font_css: str | None = "") -> str:
    """The page with ``font_css`` in its style sheet; ``None`` leaves the slot for
    ``embed_font`` (so a batch can share one font subset)."""
    if content.get("kind") == "firm":
        items = content["intents"][:8]
        chart = {"intents": charts.bars([(i["label"], i["share"], i["prev_share"]) for i in items],
                                        title="全辖问询方向占比")}
        html = _env.get_template("firm.html").render(r=content, charts=chart, links_note="链接指向 /v1/reports/calls")
    else:
        html = _env.get_template("branch.html").render(r=content, charts=_branch_charts(content),
                                                       links_note="链接指向 /v1/reports/calls")
    return html if font_css is None else html.replace(FONT_SLOT, font_css, 1)


def page_text(html: str) -> str:
    return _TAGS.sub("", html)


def embed_font(html: str, font_css: str) -> str:
    return html.replace(FONT_SLOT, font_css, 1)


def render_with_font(content: dict[str, Any], font: Path | None) -> str:
    html = render_html(content, None)
    return embed_font(html, font_face_css(font, page_text(html)))


def chromium_path(name: str) -> str | None:
    return shutil.which(name)


def write_pdf(html_path: Path, pdf_path: Path, chromium: str, timeout_s: float = 120.0) -> None:
    """Print the HTML file to an A4 PDF with headless Chromium."""
    subprocess.run(
        [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
        check=True, capture_output=True, timeout=timeout_s,
    )

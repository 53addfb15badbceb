"""HTML (Jinja2 templates, inline SVG charts, an embedded CJK font subset) and PDF
(headless Chromium, when installed) from a report's stored content."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from callsight.config import settings
from callsight.reports import charts
from callsight.reports.fonts import font_face_css
from callsight.reports.prose import pct
from callsight.reports.sections import Sections
from callsight.timefmt import fmt_local
from core.jsonio import JsonObject, parse

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_SLOT = "/*FONT*/"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
_env.globals["pct"] = pct
_env.filters["localtime"] = fmt_local
_TAGS = re.compile(r"<[^>]+>|&\w+;")
# Figures link to API paths in the stored content (the contract); on paper and in a
# browser they must open the console, absolutely (a PDF has no origin to resolve against).
_HREF = re.compile(r'href="(/v1/reports/calls\?[^"]*|/v1/calls/[A-Za-z0-9_-]+)"')


def console_links(page: str, base_url: str) -> str:
    base = base_url.rstrip("/")

    def absolute(m: re.Match[str]) -> str:
        target = htmllib.unescape(m.group(1))
        if target.startswith("/v1/calls/"):
            url = f"{base}/ui/calls/{target.rsplit('/', 1)[1]}"
        else:
            url = f"{base}/ui/calls?drill={quote(target.split('?', 1)[1], safe='')}"
        return f'href="{htmllib.escape(url)}" target="_top"'

    return _HREF.sub(absolute, page)


def _branch_charts(r: JsonObject) -> dict[str, str]:
    if not r["sections"]:  # None: a period without calls
        return {}
    s = parse(Sections, r["sections"])
    items = [i for i in s.intents.items if i.count][:8]
    m = s.marketing
    return {
        "intents": charts.bars([(i.label, i.share, i.prev_share) for i in items], title="问询方向占比"),
        "peers": charts.strip(list(m.peers.distribution) if m.peers else [], m.taken_rate if m.openings else None,
                              title="同类网点开口率分布"),
        "complaints": charts.bars([(c.category, float(c.count), float(c.prev_count))
                                   for c in s.complaints.categories if c.count or c.prev_count],
                                  unit="通", title="投诉类别"),
        "rules": charts.bars([(q.title, q.rate, q.prev_rate if q.prev_applicable else None)
                              for q in s.quality.rules[:8]], title="质检项通过率（最低的8项）"),
    }


def render_html(content: JsonObject, font_css: str | None = "", base_url: str | None = None) -> str:
    """The page with ``font_css`` in its style sheet; ``None`` leaves the slot for
    ``embed_font`` (so a batch can share one font subset). Figures link to the console
    at ``base_url`` (default: the ``public_base_url`` setting)."""
    base = (settings.public_base_url if base_url is None else base_url).rstrip("/")
    note = f"链接打开控制台 {base}/ui，需登录"
    if content["kind"] == "firm":  # every stored report names its kind
        items = content["intents"][:8]
        chart = {"intents": charts.bars([(i["label"], i["share"], i["prev_share"]) for i in items],
                                        title="全辖问询方向占比")}
        html = _env.get_template("firm.html").render(r=content, charts=chart, links_note=note)
    else:
        html = _env.get_template("branch.html").render(r=content, charts=_branch_charts(content), links_note=note)
    html = console_links(html, base)
    return html if font_css is None else html.replace(FONT_SLOT, font_css, 1)


def page_text(html: str) -> str:
    return _TAGS.sub("", html)


def embed_font(html: str, font_css: str) -> str:
    return html.replace(FONT_SLOT, font_css, 1)


def render_with_font(content: JsonObject, font: Path | None) -> str:
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

"""Inline SVG charts for reports. Pure: numbers in, an SVG string out (labels
escaped). Sized in CSS pixels for an A4 page; the text inherits the page font."""

from __future__ import annotations

from html import escape

DARK, LIGHT, ACCENT, GRID = "#1f4e79", "#9dc3e6", "#c0392b", "#d9d9d9"


def bars(items: list[tuple[str, float, float | None]], *, unit: str = "%", width: int = 640,
         title: str = "", legend: tuple[str, str] = ("本期", "上期")) -> str:
    """Horizontal bars, one row per item: the current value (dark) and, when given,
    the previous one (light, thinner) under it."""
    if not items:
        return ""
    # Room for the longest label (CJK glyphs are ~12 px at 12 px font): a cut-off
    # "风险揭示（推荐投资产" reads as a different rule.
    row_h, top = 30, 28
    label_w = min(width // 2, max(130, 12 * max(_text_width(label) for label, _, _ in items) + 10))
    plot_w = width - label_w - 70
    vmax = max(max(c, p or 0.0) for _, c, p in items) or 1.0
    h = top + row_h * len(items) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{h}" '
           f'viewBox="0 0 {width} {h}" role="img" aria-label="{escape(title)}">']
    out.append(f'<rect x="{label_w}" y="6" width="10" height="10" fill="{DARK}"/>'
               f'<text x="{label_w + 14}" y="15" font-size="11">{escape(legend[0])}</text>')
    if any(p is not None for _, _, p in items):
        out.append(f'<rect x="{label_w + 60}" y="6" width="10" height="10" fill="{LIGHT}"/>'
                   f'<text x="{label_w + 74}" y="15" font-size="11">{escape(legend[1])}</text>')
    for i, (label, cur, prev) in enumerate(items):
        y = top + i * row_h
        wc = plot_w * cur / vmax
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" font-size="12" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{wc:.1f}" height="13" fill="{DARK}"/>')
        out.append(f'<text x="{label_w + wc + 4:.1f}" y="{y + 13}" font-size="11">{_fmt(cur, unit)}</text>')
        if prev is not None:
            wp = plot_w * prev / vmax
            out.append(f'<rect x="{label_w}" y="{y + 17}" width="{wp:.1f}" height="7" fill="{LIGHT}"/>')
    out.append("</svg>")
    return "".join(out)


def strip(values: list[float], mine: float | None, *, width: int = 640, title: str = "") -> str:
    """Where a branch stands among its peers: one tick per peer on a 0..max axis,
    this branch in red."""
    if not values:
        return ""
    h, left, right = 56, 20, 20
    vmax = max([*values, mine or 0.0]) or 1.0
    span = width - left - right

    def x(v: float) -> float:
        return left + span * v / vmax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{h}" '
           f'viewBox="0 0 {width} {h}" role="img" aria-label="{escape(title)}">',
           f'<line x1="{left}" y1="28" x2="{width - right}" y2="28" stroke="{GRID}"/>']
    out += [f'<line x1="{x(v):.1f}" y1="20" x2="{x(v):.1f}" y2="36" stroke="{LIGHT}" stroke-width="2"/>'
            for v in values]
    if mine is not None:
        out.append(f'<circle cx="{x(mine):.1f}" cy="28" r="6" fill="{ACCENT}"/>'
                   f'<text x="{x(mine):.1f}" y="14" font-size="11" text-anchor="middle">'
                   f'本网点 {mine * 100:.1f}%</text>')
    out.append(f'<text x="{left}" y="52" font-size="10">0%</text>'
               f'<text x="{width - right}" y="52" font-size="10" text-anchor="end">{vmax * 100:.0f}%</text></svg>')
    return "".join(out)


def _text_width(text: str) -> float:
    """Width in em: wide (CJK, full-width) glyphs 1, others about 0.6."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)


def _fmt(v: float, unit: str) -> str:
    if unit == "%":
        return f"{v * 100:.1f}%"
    if unit == "分":
        return f"{v:.1f}分"
    return f"{v:g}{unit}"

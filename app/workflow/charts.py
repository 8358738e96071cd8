"""Server-rendered SVG charts for the workload dashboard: no script, a title and a description for screen readers,
each bar a link; the page puts the same numbers in a table beside each chart."""

from dataclasses import dataclass, field
from itertools import count

from markupsafe import Markup, escape

from app.workflow.svgtext import text_width

ROW = 18  # one bar's height
GAP = 10  # between groups
LABEL_WIDTH = 220
BAR_WIDTH = 360
WIDTH = LABEL_WIDTH + BAR_WIDTH + 80
_ids = count(1)


@dataclass
class Bar:
    """One group of bars: a label and a value per series, with the link each bar leads to (None: no link)."""

    label: str
    values: list[float]
    texts: list[str]
    hrefs: list[str | None] = field(default_factory=list)


def _fit(label: str, width: float) -> str:
    while label and text_width(label) > width:
        label = label[:-2] + "…"
    return label


def _linked(href: str | None, inner: str, title: str) -> str:
    body = f"<title>{escape(title)}</title>{inner}"
    return f'<a href="{escape(href)}">{body}</a>' if href else f"<g>{body}</g>"


def bar_chart(title: str, description: str, series: list[str], bars: list[Bar]) -> Markup:
    """Horizontal bars, one row per series in each group, scaled to the largest value; a legend on top."""
    chart_id = f"chart{next(_ids)}"
    top = max((v for b in bars for v in b.values), default=0) or 1
    height = 24 + len(bars) * (len(series) * ROW + GAP)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}t {chart_id}d">',
        f'<title id="{chart_id}t">{escape(title)}</title><desc id="{chart_id}d">{escape(description)}</desc>',
    ]
    for i, name in enumerate(series):
        x = LABEL_WIDTH + i * 120
        parts.append(f'<rect class="s{i}" x="{x}" y="4" width="12" height="12"/>')
        parts.append(f'<text x="{x + 16}" y="14">{escape(name)}</text>')
    y = 24
    for bar in bars:
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + ROW - 5}">{escape(_fit(bar.label, 210))}</text>'
        )
        for i, (value, text) in enumerate(zip(bar.values, bar.texts, strict=True)):
            w = max(round(value / top * BAR_WIDTH, 1), 1 if value else 0)
            href = bar.hrefs[i] if i < len(bar.hrefs) else None
            inner = (
                f'<rect class="s{i}" x="{LABEL_WIDTH}" y="{y + 2}" width="{w}" height="{ROW - 4}"/>'
                f'<text x="{LABEL_WIDTH + w + 4}" y="{y + ROW - 5}">{escape(text)}</text>'
            )
            parts.append(_linked(href, inner, f"{bar.label} · {series[i]}：{text}"))
            y += ROW
        y += GAP
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(title: str, description: str, columns: list[tuple[str, int, str | None]]) -> Markup:
    """Vertical columns (label, value, link), e.g. arrivals per week; every other label is written."""
    chart_id = f"chart{next(_ids)}"
    top = max((v for _, v, _ in columns), default=0) or 1
    step = (WIDTH - 40) / max(len(columns), 1)
    plot = 160
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {plot + 50}" width="{WIDTH}" height="{plot + 50}" role="img" '
        f'aria-labelledby="{chart_id}t {chart_id}d">',
        f'<title id="{chart_id}t">{escape(title)}</title><desc id="{chart_id}d">{escape(description)}</desc>',
    ]
    for i, (label, value, href) in enumerate(columns):
        h = round(value / top * plot, 1)
        x = 20 + i * step
        inner = (
            f'<rect class="s0" x="{x + 4:.1f}" y="{20 + plot - h}" width="{step - 8:.1f}" height="{h}"/>'
            f'<text class="value" x="{x + step / 2:.1f}" y="{16 + plot - h}">{value}</text>'
        )
        parts.append(_linked(href, inner, f"{label}：{value}"))
        if i % 2 == 0:
            parts.append(f'<text class="axis" x="{x + step / 2:.1f}" y="{plot + 38}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

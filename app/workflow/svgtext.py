"""Writing the diagram's SVG: measuring and wrapping labels (CJK characters are one em wide, ASCII about half),
numbers and path data."""

import re
import unicodedata

FONT_SIZE = 12
_TOKENS = re.compile(r"[!-~]+|\s|.")


def text_width(text: str) -> float:
    return sum(FONT_SIZE if unicodedata.east_asian_width(c) in "WF" else FONT_SIZE * 0.55 for c in text)


def wrap_text(text: str, max_width: float) -> list[str]:
    """Greedy line breaking: ASCII words stay whole when they fit, CJK breaks between any two characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _TOKENS.findall(paragraph):
            for piece in [token] if text_width(token) <= max_width else list(token):
                if line and text_width(line + piece) > max_width:
                    lines.append(line.rstrip())
                    line = piece.lstrip()
                else:
                    line += piece
        lines.append(line.rstrip())
    return lines


def fit_lines(lines: list[str], max_lines: int, max_width: float) -> list[str]:
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and text_width(last + "…") > max_width:
        last = last[:-1]
    return lines[: max_lines - 1] + [last + "…"]


def path_data(*parts: object) -> str:
    """SVG path data or point list: tuples become "x,y", numbers and commands are written as they are."""
    return " ".join(",".join(map(svg_number, p)) if isinstance(p, tuple) else svg_number(p) for p in parts)


def svg_number(value: object) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)

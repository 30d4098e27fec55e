"""The small HTML helpers every report section uses: escaping, yes/no, numbers, tables."""

from __future__ import annotations

import html
from typing import Any


def e(value: Any) -> str:
    """``value`` as escaped HTML text."""
    return html.escape(str(value))


def yes(flag: bool) -> str:
    """A green "yes" or a red "no"."""
    return '<span class="ok">yes</span>' if flag else '<span class="bad">no</span>'


def num(value: Any, fmt: str = ".3g") -> str:
    """A number in ``fmt``; "-" for None; strings escaped as they are."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return e(value)
    return format(value, fmt)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table: escaped headers, cells taken as given (already HTML)."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"

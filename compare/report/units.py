"""Human units for the report and the terminal: 12.3 µs / 4.56 ms / 1.23 s, 512 B / 3.4 KiB.

    >>> duration(0.0123), duration(4.561), duration(1234.0)
    ('12.3 µs', '4.56 ms', '1.23 s')
    >>> size(512), size(3481), size(5 * 2**20)
    ('512 B', '3.4 KiB', '5.0 MiB')
"""

from __future__ import annotations


def duration(ms: float | None) -> str:
    """A duration given in milliseconds, with three significant digits in µs, ms or s."""
    if ms is None:
        return "-"
    for scale, unit in ((1e-3, "µs"), (1.0, "ms"), (1e3, "s")):
        value = ms / scale
        if abs(value) < 1000 or unit == "s":
            return f"{value:.3g} {unit}" if abs(value) >= 1 or value == 0 else \
                f"{value:.2g} {unit}"
    raise AssertionError("unreachable")


def size(n: int | float | None) -> str:
    """A byte count in B, KiB, MiB or GiB (1024-based, as the memory figures are)."""
    if n is None:
        return "-"
    value = float(n)
    for unit in ("B", "KiB", "MiB"):
        if abs(value) < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"

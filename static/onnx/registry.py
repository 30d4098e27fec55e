"""The op -> ONNX mapping table: one small converter function per op name, in one dict.

``CONVERTERS[op]`` is a `Mapping`: the converter ``fn(e, node, x) -> value name`` (``e`` the
`static.onnx.emitter.Emitter`, ``node`` the static node, ``x`` its inputs' ONNX names) and the
ONNX ops it writes, for docs/ONNX.md and the error listing what is mapped. An op missing from
the table is refused with its name and the user's line.

Why a table here and not an ``onnx`` facet on each op (docs/ADDING_AN_OP.md): facets are what
*running* an op needs to know, checked against the kernel on every test case, and shared_ops
imports no optional package. A converter depends on the ONNX opset and on the exporter's
naming and constants; kept here, the whole mapping reads in one place, ONNX stays out of the op
library, and an op without a converter still runs everywhere else.

This module and the ``table_*`` modules do not import onnx: the table is readable without the
extra installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Converter = Callable[[Any, Any, list[str]], Any]


@dataclass(frozen=True)
class Mapping:
    """How one op becomes ONNX: its converter and the ONNX op types it writes."""

    op: str
    convert: Converter
    onnx_ops: str
    note: str = ""


CONVERTERS: dict[str, Mapping] = {}


def converts(*ops: str, onnx: str, note: str = "") -> Callable[[Converter], Converter]:
    """Decorator: register ``fn`` as the converter of each op in ``ops``."""

    def wrap(fn: Converter) -> Converter:
        for op in ops:
            if op in CONVERTERS:
                raise ValueError(f"op {op!r} already has an ONNX converter")
            CONVERTERS[op] = Mapping(op, fn, onnx, note)
        return fn

    return wrap

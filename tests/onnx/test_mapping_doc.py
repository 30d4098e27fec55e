"""docs/ONNX.md's mapping table is the code's (static.onnx.mapping_table), row for row, and
the ops it lists as unmapped have no converter. Runs without the onnx extra: the table does
not import onnx."""

from __future__ import annotations

import re
from pathlib import Path

from shared_ops.registry import primitives
from static.onnx import mapping_table, unmapped

DOC = Path(__file__).resolve().parents[2] / "docs" / "ONNX.md"


def _doc_rows() -> list[tuple[str, str, str]]:
    text = DOC.read_text().split("## The mapping table", 1)[1].split("###", 1)[0]
    rows = []
    for line in text.splitlines():
        m = re.fullmatch(r"\| `([a-z0-9_]+)` \| (.*) \| (.*) \|", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3)))
    return rows


def test_doc_table_equals_the_code():
    assert _doc_rows() == mapping_table()


def test_ops_listed_as_unmapped_have_no_converter():
    # The list must not go stale when a converter is added. (It may lag behind a primitive
    # added since: static.onnx.unmapped() is the live answer, and the walk refuses it clearly.)
    listed = DOC.read_text().split("### Primitives without a mapping", 1)[1].split("###")[0]
    first_cells = [line.split("|")[1] for line in listed.splitlines() if line.startswith("| `")]
    names = [n for cell in first_cells for n in re.findall(r"`([a-z0-9_]+)`", cell)]
    assert len(names) >= 10  # the parse found the table
    registered = {op.name for op in primitives()}
    assert [n for n in names if n in registered and n not in unmapped([n])] == []

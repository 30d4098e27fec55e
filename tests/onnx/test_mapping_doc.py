"""docs/ONNX.md's mapping table is the code's (static.onnx.mapping_table), row for row, and
every primitive without a converter is named in its list of unmapped ops. Runs without the
onnx extra: the table does not import onnx."""

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


def test_every_unmapped_primitive_is_listed_with_a_reason():
    listed = DOC.read_text().split("### Primitives without a mapping", 1)[1]
    missing = unmapped(op.name for op in primitives())
    assert missing, "every primitive is mapped: drop the section"
    assert [op for op in missing if f"`{op}`" not in listed] == []

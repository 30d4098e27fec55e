"""docs/EAGER_TO_STATIC.md runs as written: its ```python blocks, in order, in one namespace
(a later block uses what an earlier one defined, as a reader would)."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "EAGER_TO_STATIC.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", DOC.read_text(), re.S | re.M)


def test_the_page_has_the_promised_sections():
    text = DOC.read_text()
    for title in ("# From eager to static", "## Compile", "## Trace", "## Save and serve",
                  "## `static.function`"):
        assert title in text
    assert len(BLOCKS) >= 6


def test_every_code_block_runs(capsys):
    namespace = {"__name__": "eager_to_static_doc"}
    for k, block in enumerate(BLOCKS, 1):
        try:
            exec(compile(block, f"{DOC.name} block {k}", "exec"), namespace)  # noqa: S102
        except Exception as e:  # name the block that failed
            pytest.fail(f"block {k} of {DOC.name} raised {type(e).__name__}: {e}")
    printed = capsys.readouterr().out
    assert "TraceLedger(TinyGPT)" in printed
    assert "1 graph break" in printed

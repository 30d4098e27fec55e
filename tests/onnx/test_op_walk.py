"""Every op case of the shared registry walk, exported to ONNX and run by onnxruntime.

For each `OpCase` (tests/shared_ops/walk_support.py, every family), in float32: the op staged
on placeholders (all dims known, then the first input's first dim unknown) either exports,
passes ``onnx.checker.check_model(full_check=True)`` and gives in onnxruntime what the static
Session gives (rtol = atol = 1e-5), or is refused with an `OnnxExportError` naming the op:
as an op the table does not hold, or by its converter naming the case it does not cover. No
other outcome.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import static  # noqa: E402
from shared_ops import OPS  # noqa: E402
from static.onnx import OnnxExportError, to_onnx  # noqa: E402
from static.onnx.registry import CONVERTERS  # noqa: E402
from static.onnx.verify import ort_session, run_ort  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "shared_ops"))
from walk_staging import float32, stage_case  # noqa: E402
from walk_support import CASES, case_id  # noqa: E402 -- the shared walk's case list

# Where onnxruntime and the kernels are allowed to differ, and why.
DIVERGES = {
    ("sort", "nan-first-desc"): "ONNX TopK leaves the place of NaN undefined",
    ("sort", "nan-last"): "ONNX TopK leaves the place of NaN undefined",
    ("topk", "nan-largest"): "ONNX TopK leaves the place of NaN undefined",
    ("unique", "nans-distinct"): "onnxruntime's Unique merges NaNs; PyTorch keeps each",
}


def _staged(c, unknown_dim: bool):
    try:
        return stage_case(c, unknown_dim, convert=float32)
    except Exception:  # float32 inputs the float64 case did not plan for
        pytest.skip("the case does not stage in float32")


@pytest.mark.parametrize("c", CASES, ids=case_id)
def test_op_exports_and_agrees_or_is_refused(c):
    if (c.op, c.id) in DIVERGES:
        pytest.skip(DIVERGES[c.op, c.id])
    for unknown_dim in (False, True):
        staged = _staged(c, unknown_dim)
        g, feeds, outs = staged.graph, staged.feeds(), staged.outs
        try:
            exported = to_onnx(g, outputs=outs)
        except OnnxExportError as e:
            # Either the op has no converter, or its converter names the case it leaves out.
            why = "no ONNX mapping here" if e.op in CONVERTERS else \
                f"no ONNX mapping for op {e.op!r}"
            assert why in str(e), str(e)
            continue
        want = static.Session(g).run(outs, feeds)
        session = ort_session(exported.model, optimize=False)  # the kernels as written
        got = run_ort(session, [feeds[p] for p in exported.inputs])
        for mine, ref in zip(got, want, strict=True):
            ref = np.asarray(ref)
            assert mine.shape == ref.shape and mine.dtype == ref.dtype, (c.op, unknown_dim)
            np.testing.assert_allclose(mine, ref, rtol=1e-5, atol=1e-5, err_msg=c.op)


def test_every_converter_names_a_registered_op():
    # A converter for an op that was renamed or removed would silently never run.
    assert sorted(set(CONVERTERS) - set(OPS)) == []


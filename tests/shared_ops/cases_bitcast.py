"""Op cases of ``view_dtype`` (PyTorch's ``Tensor.view(dtype)``: the bytes read as another
dtype), walked by ``test_registry_walk.py``. NumPy's ``ndarray.view`` is the reference."""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(2208)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)


def _torch_view(torch, x, dtype):
    return x.view(getattr(torch, dtype.name))


x34 = r(3, 4)
for dtype, label in ((np.int64, "same-size"), (np.int32, "narrower"), (np.float32, "float32"),
                     (np.uint8, "bytes")):
    case("view_dtype", x34, dtype=np.dtype(dtype), ref=lambda x, dtype: x.view(dtype),
         torch_fn=_torch_view, grad=False, id=label)
case("view_dtype", np.arange(8, dtype=np.int16).reshape(2, 4), dtype=np.dtype(np.int64),
     ref=lambda x, dtype: x.view(dtype), torch_fn=_torch_view, grad=False, id="wider")
case("view_dtype", np.array(1.5), dtype=np.dtype(np.int64), ref=lambda x, dtype: x.view(dtype),
     torch_fn=_torch_view, grad=False, id="0-d")

"""How a COO tensor prints: PyTorch's ``tensor(indices=..., values=..., size=..., nnz=...,
layout=torch.sparse_coo)``, each part printed as a dense tensor and indented under its label."""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_ops import dtypes

from ..printing import dtype_name


def _part(label: str, dense: Any, indent: int) -> str:
    """``label=<dense repr>``, its continuation lines shifted right by ``indent + len(label)``;
    no dtype suffix (torch names the dtype once, after the size)."""
    # An empty part always shows its size (torch's sparse printing; dense 1-d ones do not).
    text = repr(dense) if dense._data.size else f"tensor([], size={tuple(dense._data.shape)})"
    suffix = f", dtype={dtype_name(dense._data.dtype)})"
    if text.endswith(suffix):
        text = text[:-len(suffix)] + ")"
    pad = " " * (indent + len(label) + 1)
    return f"{label}=" + text.replace("\n", "\n" + pad)


def sparse_repr(s: Any) -> str:
    """The text torch prints for the COO tensor ``s``."""
    vals = s._vals
    head = "tensor("
    lines = [head + _part("indices", s._indices(), len(head)) + ",",
             " " * len(head) + _part("values", vals.detach(), len(head)) + ","]
    tail = f"size={tuple(s._size)}, nnz={s._nnz()}"
    dtype = np.dtype(vals._data.dtype)
    if dtype != dtypes.default_float() and dtype != np.int64 and dtype != np.bool_:
        tail += f", dtype={dtype_name(dtype)}"
    tail += ", layout=torch.sparse_coo"
    extra = ""
    if vals.grad_fn is not None:
        extra = f"grad_fn=<{type(vals.grad_fn).__name__}>"
    elif vals.requires_grad:
        extra = "requires_grad=True"
    if extra:  # on the same line while it fits in 80 columns, as torch wraps it
        fits = len(head) + len(tail) + len(extra) + 3 <= 80
        tail += (", " if fits else ",\n" + " " * len(head)) + extra
    lines.append(" " * len(head) + tail + ")")
    return "\n".join(lines)

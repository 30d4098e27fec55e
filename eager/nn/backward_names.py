"""`name_backward`: give the backward node a layer function recorded the name PyTorch's node
has, for functions composed here of several ops (``max_unpool2d`` is a scatter and a reshape,
PyTorch's node is ``MaxUnpool2DBackward0``), so ``out.grad_fn`` prints as PyTorch's.

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> name_backward(x * 2, "ExampleBackward0").grad_fn.name()
    'ExampleBackward0'
"""

from __future__ import annotations

from typing import Any


def name_backward(out: Any, name: str) -> Any:
    """``out``, its backward node (when it has one of its own) named ``name``."""
    grad_fn = getattr(out, "grad_fn", None)
    if grad_fn is not None and hasattr(grad_fn, "torch_name"):
        grad_fn.torch_name = name
    return out


__all__ = ["name_backward"]

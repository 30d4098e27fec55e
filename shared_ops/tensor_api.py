"""PyTorch's Tensor methods, declared once for every mode's value type.

`METHODS` (filled by `tensor_api_math`, `tensor_api_select` and `tensor_api_shape`) maps
each method and operator that computes with shared ops to one function with PyTorch's
signature (``dim=``, ``keepdim=``, negative dims, ``-1`` in ``view``, varargs or tuple
shapes); `methods_class` makes a class whose methods they are, which a mode lists among its
value type's bases after its own classes: eager's Tensor and static's Node are each defined
by their bases, and a mode's own definition of a name comes first in the method resolution
order where it has a reason (eager's operators are its hot path).

`MODE_SPECIFIC` lists what the table cannot say for every mode, each mode answering it
itself: sizes (a static graph's may be unknown until run time), values and storage,
creation, in-place writes and the autograd tape.

    >>> import numpy as np
    >>> call("view", np.arange(6.0), 2, -1).shape
    (2, 3)
"""

from __future__ import annotations

from typing import Any

from . import (  # noqa: F401 (the table)
    tensor_api_complex,
    tensor_api_extra,
    tensor_api_layout,
    tensor_api_linalg,
    tensor_api_math,
    tensor_api_more,
    tensor_api_scatter,
    tensor_api_science,
    tensor_api_select,
    tensor_api_shape,
    tensor_api_stats,
    torch_functions_histogram,
    torch_functions_math,
)
from .ops import index_update, runtime_shape  # noqa: F401 (ops the methods stage)
from .tensor_api_core import METHODS, PROPERTIES, method, shape_of

__all__ = ["METHODS", "MODE_SPECIFIC", "methods_class"]


@method("dim", "ndimension")
def _dim(self) -> int:
    """The number of dims."""
    return len(shape_of(self))


# name -> why each mode defines it itself.
MODE_SPECIFIC: dict[str, str] = {
    **dict.fromkeys(("size", "numel", "nelement", "shape", "dtype", "ndim"),
                    "sizes: a static graph's dims may be unknown until run time"),
    **dict.fromkeys(("__eq__", "__ne__", "__hash__"),
                    "a static graph value compares by identity outside traced user code "
                    "(nodes are dict keys)"),
    **dict.fromkeys(("item", "tolist", "numpy", "__bool__", "__float__", "__int__",
                     "__index__", "__len__", "__iter__", "__array__", "__format__", "data",
                     "allclose", "equal"),
                    "a Python value: only a value at hand has one"),
    **dict.fromkeys(("clone", "__deepcopy__", "new_zeros", "new_ones", "new_full",
                     "new_empty", "new_tensor"),
                    "storage and creation belong to the mode"),
    **dict.fromkeys(("add_", "sub_", "mul_", "div_", "pow_", "neg_", "exp_", "relu_",
                     "clamp_", "clip_", "copy_", "zero_", "fill_", "uniform_", "normal_",
                     "__setitem__", "__iadd__", "__isub__", "__imul__", "__itruediv__"),
                    "in-place writes: storage in eager, a functional update in a graph"),
    **dict.fromkeys(("unsqueeze_", "squeeze_", "t_", "transpose_", "swapdims_", "swapaxes_",
                     "resize_", "resize_as_"),
                    "in-place shape changes: eager views its memory anew "
                    "(eager/tensor_shape_inplace.py), a graph value's object stands for the "
                    "reshaped value (static/node_shape_updates.py)"),
    **dict.fromkeys(("is_contiguous", "stride", "storage_offset", "data_ptr", "is_shared",
                     "share_memory_"),
                    "storage layout: an eager array has strides, a graph value is laid out "
                    "when the step computes it"),
    **dict.fromkeys(("backward", "register_hook", "retain_grad", "retains_grad",
                     "requires_grad", "requires_grad_", "grad", "grad_fn", "is_leaf", "detach_",
                     "register_post_accumulate_grad_hook", "is_inference"),
                    "the autograd tape is eager's; a graph differentiates with gradients()"),
}


def methods_class(name: str, doc: str) -> type:
    """A slot-less class whose methods are every table entry (``T``, ``mT``, ``device``...
    as properties). List it after a mode's own classes among a value type's bases: what the
    mode defines itself is found first."""
    namespace = {n: property(fn) if n in PROPERTIES else fn for n, fn in METHODS.items()}
    return type(name, (), {"__slots__": (), "__doc__": doc, "__module__": __name__,
                           **namespace})


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """The table's ``name`` applied to ``args`` (``call("sum", x, dim=1)``)."""
    return METHODS[name](*args, **kwargs)


"""In-place shape methods of eager tensors: ``unsqueeze_``, ``squeeze_``, ``t_``,
``transpose_``, ``swapdims_``/``swapaxes_``, ``resize_`` and ``resize_as_``.

Each gives the tensor a new shape over the same memory (``resize_`` grows it when it must)
and bumps the version counter, as PyTorch does. Autograd, as PyTorch's in-place view ops:

* grad mode off, or nothing requires grad: the shape changes, nothing is recorded;
* a leaf that requires grad, or an output of split/chunk/unbind (several views of one
  tensor): PyTorch's RuntimeErrors;
* a recorded tensor: the out-of-place op (``unsqueeze``...) is recorded on a stand-in for the
  old tensor, whose place in the graph it takes, and the tensor's ``grad_fn`` moves to the new
  entry (``UnsqueezeBackward1``): the history is rebased. The version is not bumped on this
  path (see the NOTE in `_reshaped_in_place`); the entry that produced the old tensor keeps a
  copy of its output, as `eager.tensor_inplace.inplace` gives it, so later writes into the
  tensor neither fail nor change its gradient.

``resize_`` refuses any tensor that requires grad, as PyTorch ("cannot resize variables that
require grad"); new elements it adds are zeros (PyTorch leaves them uninitialized).

    >>> import eager
    >>> x = eager.ones(2, 3)
    >>> x.t_().shape, x._version
    (eager.Size([3, 2]), 1)
"""

from __future__ import annotations

import math

import numpy as np

from shared_ops.tensor_api import METHODS

from .autograd.custom_backward import copy_history
from .autograd.edges import rebase
from .autograd.grad_mode import no_grad, thread_state
from .autograd.versions import bump
from .tensor_base import wrap_array

# The functions returning several views, whose outputs PyTorch refuses to change in place.
_MULTI_VIEW = frozenset({"Split", "SplitWithSizes", "Unbind"})


def _reshaped_in_place(self, compute, torch_name: str):
    """Give ``self`` the shape of ``compute(self)`` (a view of its memory), recorded as
    described in the module docstring under PyTorch's name for the in-place form
    (``UnsqueezeBackward1``)."""
    if not (thread_state.grad_enabled and self._requires_grad):
        with no_grad():
            result = compute(self)
        self._data = result._data
        bump(self._version_counter)
        return self
    if self.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    producer = type(self.grad_fn).__name__.removesuffix("Backward0")
    if self._extra and "output_nr" in self._extra and producer in _MULTI_VIEW:
        raise RuntimeError(f"Output {self._extra['output_nr']} of {producer} is a view and is "
                           "being modified inplace. This view is the output of a function "
                           "that returns multiple views. Such functions do not allow the "
                           "output views to be modified inplace. You should replace the "
                           "inplace operation by an out-of-place one.")
    # NOTE: no version bump here, unlike PyTorch: eager's engine checks the version of every
    # input and output of an entry, not only of the values its rule saved, so a bump would
    # fail the backward of graphs PyTorch differentiates (a view of a view, a producer whose
    # rule reads no output). The memory is unchanged, so no saved value is invalidated.
    old = self.grad_fn
    if old.out is self._data:
        # The producer keeps its own copy of its output under its own counter (as `inplace`
        # does): a later write into this tensor must not fail or change its rule.
        old.out, old.out_counter, old.out_version = self._data.copy(), [0], 0
    # The stand-in has its own counter: the recorded view op reads only its shape.
    stand_in = wrap_array(self._data)
    stand_in._requires_grad = True
    copy_history(stand_in, self)
    result = compute(stand_in)
    node = result.grad_fn
    node.torch_name = torch_name
    self._data = result._data
    node.out, node.out_counter, node.out_version = \
        self._data, self._version_counter, self._version_counter[0]
    rebase(self, node)  # entries recorded before keep its old grad_fn (autograd/edges.py)
    if self._extra and "output_nr" in self._extra:  # now the one output of its own entry
        self._extra = {k: v for k, v in self._extra.items() if k != "output_nr"} or None
    return self


def _sizes(name: str, sizes: tuple) -> tuple[int, ...]:
    """``resize_``'s sizes: ints, or one sequence of them, none negative."""
    if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
        sizes = tuple(sizes[0])
    for s in sizes:
        if not isinstance(s, int | np.integer) or isinstance(s, bool):
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, "
                            f"not {type(s).__name__}")
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"{name}(): sizes must be non-negative, got {list(sizes)}")
    return tuple(int(s) for s in sizes)


def _storage(a: np.ndarray) -> np.ndarray:
    """The memory ``a`` views, flat, from ``a``'s first element on: what PyTorch's resize_
    reads (a transposed tensor resized reads its storage in order, not its own C order)."""
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.dtype != a.dtype or not root.flags.c_contiguous:
        return a.reshape(-1)  # no flat storage to read: the elements in C order
    start = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return root.reshape(-1)[start // a.itemsize:]


class ShapeInplaceMethods:
    """Mixed into `eager.Tensor` (through `eager.tensor_inplace.InplaceMethods`)."""

    __slots__ = ()

    def unsqueeze_(self, dim: int):
        """In place: ``self`` with a new dim of size 1 at ``dim``."""
        return _reshaped_in_place(self, lambda s: METHODS["unsqueeze"](s, dim),
                                  "UnsqueezeBackward1")

    def squeeze_(self, dim=None):
        """In place: ``self`` without its size-1 dims (all, or those of ``dim``)."""
        method = METHODS["squeeze"]
        # PyTorch names the three forms' entries apart: all dims, one dim, a tuple of dims.
        name = "SqueezeBackward3" if dim is None else \
            "SqueezeBackward5" if isinstance(dim, tuple | list) else "SqueezeBackward4"
        return _reshaped_in_place(self, lambda s: method(s) if dim is None else method(s, dim),
                                  name)

    def t_(self):
        """In place: ``self`` transposed (a tensor of at most 2 dims)."""
        if self._data.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is "
                               f"{self._data.ndim}D")
        return _reshaped_in_place(self, METHODS["t"], "TBackward1")

    def transpose_(self, dim0: int, dim1: int):
        """In place: ``self`` with dims ``dim0`` and ``dim1`` swapped."""
        return _reshaped_in_place(self, lambda s: METHODS["transpose"](s, dim0, dim1),
                                  "TransposeBackward1")

    swapdims_ = swapaxes_ = transpose_

    def resize_(self, *sizes, memory_format=None):
        """In place: ``self`` with the shape ``sizes`` over its elements in order, cut short
        or grown with zeros (PyTorch's resize_; a tensor that requires grad is refused)."""
        shape = _sizes("resize_", sizes)
        if self._requires_grad:
            raise RuntimeError("cannot resize variables that require grad")
        flat, n = _storage(self._data), math.prod(shape)
        if n > flat.size:
            grown = np.zeros(n, self._data.dtype)
            grown[:flat.size] = flat
            flat = grown
        self._data = flat[:n].reshape(shape)
        bump(self._version_counter)
        return self

    def resize_as_(self, the_template, memory_format=None):
        """In place: ``self`` resized to ``the_template``'s shape."""
        return self.resize_(tuple(the_template.shape), memory_format=memory_format)

"""Shape policies: how `static.function` treats inputs whose shapes vary from call to call.

A policy decides which calls share a trace. Three are offered (``shape_policy=`` of
`static.function`):

``"exact"`` (the default)
    One trace per concrete input shape: every graph is fully static (loops over a known
    length unroll), and a new length costs a new trace.
``"dynamic"`` / ``Dynamic(axes=...)``
    One trace per rank and dtype: the chosen axes (all, by default) of every array argument
    become unknown (``None``) dims of the placeholders, so the graph must cope with any size
    (a recurrent layer then runs ``scan`` over an unknown number of steps). The compiled plan
    is still cached per concrete shape under that one trace.
``Buckets(sizes, axis=1, pad_value=0, lengths="lengths", dynamic=False)``
    Pad the variable axis up to the next bucket size and trace once per bucket (with
    ``dynamic=True``, trace once with that axis unknown, and compile per bucket). The padded
    call passes the true lengths to the function as the keyword argument named by
    ``lengths`` (every row gets the call's length unless the caller passed its own), so a
    model can mask the padded steps; outputs that carry the bucket size along ``axis`` are
    cut back to the call's length. The ledger's ``pad %`` column shows how much of the
    work ran on padding.

        >>> import numpy as np
        >>> b = Buckets([4, 8], axis=1)
        >>> args, kwargs, cut = b.prepare(["x"], (np.ones((2, 3)),), {})
        >>> args[0].shape, kwargs["lengths"], cut
        ((2, 4), array([3, 3]), (4, 3))
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import numpy as np

from .trace_ledger import CallArg
from .tracing import flatten, is_array_like, unflatten


class ShapePolicy:
    """Base policy (``exact``): calls go through unchanged and shapes key the cache as is."""

    name = "exact"

    def prepare(self, names: list[str], args: tuple,
                kwargs: dict) -> tuple[tuple, dict, tuple | None]:
        """The call to trace/run instead of ``(args, kwargs)``, and what to cut from the
        outputs afterwards (``(bucket, length)`` along the policy's axis, or None)."""
        return args, kwargs, None

    def generalize(self, leaf: CallArg) -> CallArg:
        """The signature leaf that keys the trace cache for an array argument."""
        return leaf

    def finish(self, out: Any, cut: tuple | None) -> Any:
        """The function's result for the caller (undoes `prepare`'s padding)."""
        return out

    def __repr__(self) -> str:
        return self.name


class Dynamic(ShapePolicy):
    """Unknown dims along ``axes`` (None: every axis) of every array argument."""

    name = "dynamic"

    def __init__(self, axes: Sequence[int] | None = None) -> None:
        self.axes = None if axes is None else tuple(int(a) for a in axes)

    def generalize(self, leaf: CallArg) -> CallArg:
        if leaf.shape is None:
            return leaf
        n = len(leaf.shape)
        axes = range(n) if self.axes is None else {a % n for a in self.axes if -n <= a < n}
        shape = tuple(None if i in axes else d for i, d in enumerate(leaf.shape))
        return CallArg(leaf.name, shape, leaf.dtype, leaf.value)

    def __repr__(self) -> str:
        return "dynamic" if self.axes is None else f"Dynamic(axes={list(self.axes)})"


class Buckets(ShapePolicy):
    """Pad ``axis`` of the array arguments up to the next of ``sizes``; pass ``lengths=``."""

    name = "buckets"

    def __init__(self, sizes: Sequence[int], axis: int = 1, pad_value: float = 0,
                 lengths: str | None = "lengths", pad: Sequence[str] | None = None,
                 dynamic: bool = False) -> None:
        """``pad`` names the keyword/parameter names of the arguments to pad (default: every
        array argument with more than ``axis`` dims, except the lengths argument).
        ``dynamic``: trace the padded axis as unknown, so that one trace serves every bucket
        (a recurrent layer then runs ``scan``) and only the compiled code is made per bucket."""
        if not sizes or any(int(s) <= 0 for s in sizes):
            raise ValueError(f"Buckets: sizes must be positive integers, got {sizes!r}")
        self.sizes = sorted(int(s) for s in sizes)
        self.axis = int(axis)
        self.pad_value = pad_value
        self.lengths = lengths
        self.pad = None if pad is None else tuple(pad)
        self.dynamic = bool(dynamic)
        self._unknown = Dynamic(axes=[self.axis])

    def generalize(self, leaf: CallArg) -> CallArg:
        """With ``dynamic``, a padded argument's axis keys the trace cache as unknown."""
        if not self.dynamic or leaf.shape is None or leaf.name == self.lengths \
                or len(leaf.shape) <= self.axis or (self.pad is not None
                                                    and leaf.name not in self.pad):
            return leaf
        return self._unknown.generalize(leaf)

    def bucket(self, length: int) -> int:
        """The smallest bucket that holds ``length`` steps."""
        i = bisect.bisect_left(self.sizes, length)
        if i == len(self.sizes):
            raise ValueError(f"Buckets: a length of {length} along axis {self.axis} exceeds "
                             f"the largest bucket {self.sizes[-1]}; add a larger size")
        return self.sizes[i]

    def _padded(self, name: str, value: Any) -> bool:
        if name == self.lengths or not is_array_like(value):
            return False
        if self.pad is not None:
            return name in self.pad
        return len(value.shape) > self.axis

    def prepare(self, names: list[str], args: tuple,
                kwargs: dict) -> tuple[tuple, dict, tuple | None]:
        """Pad the chosen arguments (``names``: the positional parameters' names)."""
        named = list(zip(names, args, strict=True)) + list(kwargs.items())
        chosen = [(n, v) for n, v in named if self._padded(n, v)]
        if not chosen:
            return args, kwargs, None
        lengths = {n: v.shape[self.axis] for n, v in chosen}
        if len(set(lengths.values())) != 1:
            raise ValueError(f"Buckets: the arguments padded along axis {self.axis} disagree "
                             f"on its length: {lengths}")
        length = next(iter(lengths.values()))
        size = self.bucket(length)

        def pad(name: str, value: Any) -> Any:
            if not self._padded(name, value):
                return value
            value = np.asarray(value)
            if size == length:
                return value
            width = [(0, 0)] * value.ndim
            width[self.axis] = (0, size - length)
            return np.pad(value, width, constant_values=self.pad_value)

        args = tuple(pad(n, a) for n, a in zip(names, args, strict=True))
        kwargs = {k: pad(k, v) for k, v in kwargs.items()}
        if self.lengths is not None and self.lengths not in kwargs \
                and self.lengths not in names:
            first = np.asarray(chosen[0][1])
            batch = first.shape[1 if self.axis == 0 else 0]
            kwargs[self.lengths] = np.full(batch, length, dtype=np.int64)
        return args, kwargs, (size, length)

    def finish(self, out: Any, cut: tuple | None) -> Any:
        if cut is None or cut[0] == cut[1]:
            return out
        size, length = cut
        leaves: list[Any] = []
        template = flatten(out, leaves)

        def trim(v: Any) -> Any:
            if isinstance(v, np.ndarray) and v.ndim > self.axis and v.shape[self.axis] == size:
                return np.take(v, np.arange(length), axis=self.axis)
            return v

        return unflatten(template, iter([trim(v) for v in leaves]))

    def __repr__(self) -> str:
        return f"buckets={self.sizes}" + (", dynamic" if self.dynamic else "")


def as_policy(policy: str | ShapePolicy | None) -> ShapePolicy:
    """A `ShapePolicy` from ``"exact"``, ``"dynamic"`` or a policy object."""
    if policy is None or policy == "exact":
        return ShapePolicy()
    if policy == "dynamic":
        return Dynamic()
    if isinstance(policy, ShapePolicy):
        return policy
    raise ValueError(f"static.function: shape_policy must be 'exact', 'dynamic', "
                     f"static.Dynamic(...) or static.Buckets([...]), got {policy!r}")

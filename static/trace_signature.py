"""Call signatures: what decides whether a trace of a `static.function` can be reused.

A call's signature is its argument structure plus, for every leaf, the shape and dtype of an
array or the value of a Python argument (`signature_of`). `static.function` keys its trace
cache with it; on a miss, `why` compares the new signature with the cached ones and names the
difference (``x: shape (4, 10) -> (3, 10)``), which the `TraceLedger` shows as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from shared_ops import dtypes as dt

from .pytree import flatten
from .traced import TensorSpec, is_array_like


@dataclass(frozen=True)
class CallArg:
    """One leaf of the call: an array (by shape and dtype) or a Python value (by value)."""

    name: str
    shape: tuple | None
    dtype: np.dtype | None
    value: Any = None

    def describe(self) -> str:
        if self.shape is None:
            return f"{self.name}={self.value!r}"
        dims = ",".join("?" if d is None else str(d) for d in self.shape)
        return f"{self.name}: {dt.short_name(self.dtype)}[{dims}]"


def signature_of(names: list[str], args: tuple, kwargs: dict, specs) -> tuple:
    """(structure, leaves): structure is the nesting of arguments; leaves are `CallArg`s."""
    leaves: list[Any] = []
    template = flatten((args, dict(sorted(kwargs.items()))), leaves)
    labels = _leaf_labels(names, args, kwargs)
    out = []
    spec_iter = iter(specs) if specs is not None else None
    for label, leaf in zip(labels, leaves, strict=True):
        if is_array_like(leaf):
            if spec_iter is not None:
                spec = next(spec_iter, None)
                if spec is None or not spec.matches(leaf):
                    raise TypeError(f"static.function: argument {label} ({TensorSpec.of(leaf)}) "
                                    f"does not match the input_signature entry {spec}")
                out.append(CallArg(label, tuple(spec.shape), spec.dtype))
            else:
                out.append(CallArg(label, tuple(leaf.shape), np.dtype(leaf.dtype)))
        else:
            try:
                hash(leaf)
            except TypeError:
                raise TypeError(f"static.function: argument {label} is a "
                                f"{type(leaf).__name__}, which is neither an array nor "
                                "hashable, so it cannot key the trace cache") from None
            out.append(CallArg(label, None, None, leaf))
    return template, tuple(out)


def _leaf_labels(names: list[str], args: tuple, kwargs: dict) -> list[str]:
    labels = []
    for i, a in enumerate(args):
        base = names[i] if i < len(names) else f"arg{i}"
        n: list[Any] = []
        flatten(a, n)
        labels += [base] if len(n) == 1 and not isinstance(a, list | tuple | dict) else \
            [f"{base}[{j}]" for j in range(len(n))]
    for k, v in sorted(kwargs.items()):
        n = []
        flatten(v, n)
        labels += [k] if len(n) == 1 and not isinstance(v, list | tuple | dict) else \
            [f"{k}[{j}]" for j in range(len(n))]
    return labels


def why(key: tuple, known: list[tuple]) -> str:
    """Why ``key`` missed the cache: the difference from the most similar cached signature."""
    if not known:
        return "first call"
    same_structure = [k for k in known if k[0] == key[0] and len(k[1]) == len(key[1])]
    if not same_structure:  # e.g. a keyword argument given for the first time
        def names(k: tuple) -> str:
            return "(" + ", ".join(a.name for a in k[1]) + ")"
        return f"arguments {names(known[-1])} -> {names(key)}"
    best = min(same_structure, key=lambda k: sum(a != b for a, b in zip(k[1], key[1],
                                                                         strict=True)))
    diffs = []
    for old, new in zip(best[1], key[1], strict=True):
        if old == new:
            continue
        if (old.shape is None) != (new.shape is None):
            diffs.append(f"{new.name}: array <-> Python value")
        elif old.shape is None:
            diffs.append(f"{new.name}: value {old.value!r} -> {new.value!r}")
        elif old.dtype != new.dtype:
            diffs.append(f"{new.name}: dtype {old.dtype} -> {new.dtype}")
        else:
            diffs.append(f"{new.name}: shape {old.shape} -> {new.shape}")
    return "; ".join(diffs)

"""A user's batches as the harness feeds them: NumPy arrays, whatever the factory built.

A `ModelCase` factory written for eager code naturally returns ``eager.tensor`` batches; the
static twin needs arrays for its placeholders and feeds, and both twins must see the very
same values. `as_arrays` converts every leaf of ``[(inputs, targets), ...]`` (tensors via
``detach().numpy()``, sequences kept as tuples) and leaves arrays as they are.

    >>> import eager
    >>> [((x,), (y,))] = as_arrays([([eager.tensor([1.0, 2.0])], [np.zeros(2)])])
    >>> type(x).__name__, x.tolist(), y.dtype
    ('ndarray', [1.0, 2.0], dtype('float64'))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _leaf(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # an eager (or torch) tensor
        return np.array(value.detach().numpy(), copy=True)
    return value


def as_arrays(batches: Sequence) -> list:
    """``[(inputs, targets), ...]`` with every tensor leaf turned into a NumPy array."""
    out = []
    for i, batch in enumerate(batches):
        try:
            inputs, targets = batch
        except (TypeError, ValueError):
            raise TypeError(f"ModelCase.batches[{i}]: expected an (inputs, targets) pair of "
                            f"tuples, got {type(batch).__name__}") from None
        out.append((tuple(map(_leaf, inputs)), tuple(map(_leaf, targets))))
    return out

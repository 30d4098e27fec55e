"""PyTorch's CPU sampling algorithms (``randperm``, ``randint``, ``random_``, ``multinomial``)
for samplers, ``random_split`` and the DataLoader's seeds, drawn from a generator's stream.

The algorithms live in `eager.random` (over PyTorch's MT19937 stream, so with an
``eager.Generator`` or the global generator the indices are PyTorch's, seed for seed). A NumPy
``Generator`` is accepted too: its 32-bit words feed the same arithmetic (a NumPy MT19937 seeded
as PyTorch seeds gives PyTorch's indices as well).

    >>> g = eager.Generator(0)
    >>> randperm(5, g)
    [4, 0, 1, 3, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...random import kernels, sampling
from ...random.generator import engine_of

_WORD = 2**32


class NumpyWords:
    """A NumPy ``Generator`` seen as an engine: ``random32``/``random64`` as ATen draws."""

    def __init__(self, generator: np.random.Generator) -> None:
        self.generator = generator

    def random32(self, count: int) -> np.ndarray:
        # integers(0, 2**32, dtype=uint32) is NumPy's unbounded path: one raw 32-bit draw each.
        return self.generator.integers(0, _WORD, size=count, dtype=np.uint32).astype(np.uint64)

    def random64(self, count: int) -> np.ndarray:
        words = self.random32(2 * count)
        return (words[0::2] << np.uint64(32)) | words[1::2]


def _engine(generator: Any) -> Any:
    if isinstance(generator, np.random.Generator):
        return NumpyWords(generator)
    return engine_of(generator)


def random_int64(generator: Any) -> int:
    """``torch.empty((), dtype=torch.int64).random_(generator=g).item()``: in [0, 2**63)."""
    return int(_engine(generator).random64(1)[0] % np.uint64(2**63))


def randperm(n: int, generator: Any = None) -> list[int]:
    """``torch.randperm(n, generator=g).tolist()``."""
    return sampling.randperm(n, _engine(generator))


def skip_randperm(n: int, generator: Any = None) -> None:
    """Consume exactly the draws of ``randperm(n)`` without building the permutation (for a
    permutation PyTorch builds and then slices down to nothing)."""
    sampling.skip_randperm(n, _engine(generator))


def randint(high: int, count: int, generator: Any = None) -> list[int]:
    """``torch.randint(high=high, size=(count,), generator=g).tolist()``."""
    if high <= 0:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from=0 >= "
                           f"to={high}")
    return kernels.integers(_engine(generator), count, 0, high, np.dtype(np.int64)).tolist()


def multinomial(weights: np.ndarray, num_samples: int, replacement: bool,
                generator: Any = None) -> list[int]:
    """``torch.multinomial(weights, num_samples, replacement, generator=g).tolist()`` for 1-D
    float64 ``weights``, with PyTorch's checks and messages (RuntimeError)."""
    return sampling.multinomial(weights, num_samples, replacement, _engine(generator)).tolist()


__all__ = ["NumpyWords", "multinomial", "random_int64", "randint", "randperm",
           "skip_randperm"]

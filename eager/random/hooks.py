"""eager's randomness seen from shared_ops: the seed source for seeded kernels
(`shared_ops.fresh_seed`) and the direct ``multinomial`` draw from PyTorch's stream
(`shared_ops.register_draw`), registered when eager is imported.

    >>> import eager, shared_ops
    >>> draws_torch_stream()
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops

from ..tensor_base import TensorBase, wrap_array
from . import factories
from .generator import default_generator

_SEED_MASK = np.uint64(2**63 - 1)


def seed_from_global() -> int:
    """A fresh 63-bit seed from the global generator (one 64-bit draw), for the seeded
    kernels (a dropout mask traced or replayed by the compare harness)."""
    return int(default_generator.engine.random64(1)[0] & _SEED_MASK)


def global_seed_source(_x: Any) -> int:
    """eager's seed source for `shared_ops.fresh_seed` (registered below)."""
    return seed_from_global()


def draws_torch_stream() -> bool:
    """Whether eager draws from PyTorch's stream now: False while a harness has replaced
    eager's seed source (`shared_ops.using_seed_source`) to share seeds with a static graph."""
    return shared_ops.seed_source_of("eager") is global_seed_source


def multinomial_draw(input: Any, num_samples: int, replacement: bool,  # noqa: A002
                     generator: Any) -> Any:
    """``multinomial`` on an eager tensor: PyTorch's stream, unless the harness shares seeds
    or the generator is a NumPy one (None: the seeded kernel runs)."""
    if not draws_torch_stream() or isinstance(generator, np.random.Generator) \
            or not isinstance(input, TensorBase):
        return None
    return factories.multinomial(input, num_samples, replacement, generator=generator)


def fill_draw(name: str) -> Any:
    """The draw a compiled region feeds for ``x.<name>(...)`` in its forward (``normal_``,
    ``uniform_``, ``bernoulli_``: static/random_inputs.py): a new tensor of the shape and dtype
    filled from PyTorch's stream, as eager's own call would fill it (None: the harness shares
    seeds, the region draws with NumPy)."""
    def draw(shape: tuple, dtype: Any, **params: float) -> Any:
        if not draws_torch_stream():
            return None
        return getattr(wrap_array(np.empty(shape, dtype)), name)(*params.values())

    return draw


shared_ops.register_seed_source("eager", global_seed_source)
shared_ops.register_draw("eager", "multinomial", multinomial_draw)
for _fill in ("normal_", "uniform_", "bernoulli_"):
    shared_ops.register_draw("eager", _fill, fill_draw(_fill))

__all__ = ["draws_torch_stream", "fill_draw", "global_seed_source", "multinomial_draw",
           "seed_from_global"]

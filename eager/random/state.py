"""The global generator's functions, as ``torch.random`` has them: ``manual_seed``, ``seed``,
``initial_seed``, ``get_rng_state``, ``set_rng_state`` and the ``fork_rng`` context manager.

    >>> _ = manual_seed(3)
    >>> with fork_rng():
    ...     _ = manual_seed(4)
    >>> initial_seed()
    3
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ..tensor_base import TensorBase
from .generator import Generator, default_generator


def manual_seed(seed: Any) -> Generator:
    """Seed the global generator (every random function, ``nn.init``, dropout and shuffling
    draw from it) and return it. An int in [-2**63, 2**64); a numeric string is read as one."""
    if isinstance(seed, str):
        seed = int(seed)
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the global generator from the operating system's entropy; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The global generator's last seed."""
    return default_generator.initial_seed()


def get_rng_state() -> TensorBase:
    """The global generator's state, PyTorch's 5056 bytes (``torch.uint8``)."""
    return default_generator.get_state()


def set_rng_state(new_state: Any) -> None:
    """Restore the global generator from ``get_rng_state``'s bytes."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str | None = None) -> Iterator[None]:
    """Inside the block, random draws come from a fork of the global generator's state,
    restored on exit (PyTorch's ``torch.random.fork_rng``; there are no CUDA devices here)."""
    if not enabled:
        yield
        return
    saved = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(saved)


__all__ = ["fork_rng", "get_rng_state", "initial_seed", "manual_seed", "seed",
           "set_rng_state"]

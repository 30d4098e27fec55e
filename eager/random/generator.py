"""``torch.Generator`` for the CPU: a seeded MT19937 stream (`Engine`) that every random
function of eager draws from, with PyTorch's seeding, ``get_state``/``set_state`` bytes and
default seed, so a program seeded as under PyTorch draws PyTorch's numbers.

    >>> g = Generator().manual_seed(0)
    >>> g.initial_seed(), tuple(g.get_state().shape)
    (0, (5056,))
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from shared_ops.device import check_device, device

from ..tensor_base import TensorBase, wrap_array
from .engine import DEFAULT_SEED, Engine


class Generator:
    """A source of random numbers, as ``torch.Generator(device='cpu')``.

    ``Generator(seed)`` with an int is an eager shorthand for ``Generator().manual_seed(seed)``
    (PyTorch's first argument is the device).
    """

    def __init__(self, device: Any = "cpu") -> None:
        seed = DEFAULT_SEED
        if isinstance(device, int) and not isinstance(device, bool):
            seed, device = device, "cpu"
        self._device = check_device(device, creating=True)
        self.engine = Engine(seed)
        self._numpy: np.random.Generator | None = None

    @property
    def device(self) -> device:
        return device("cpu")

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from ``seed`` (an int in [-2**63, 2**64)); returns self."""
        self.engine.seed(seed)
        return self

    def initial_seed(self) -> int:
        """The seed given last to ``manual_seed`` or ``seed`` (as a uint64)."""
        return self.engine.initial_seed

    def seed(self) -> int:
        """Reseed from the operating system's entropy and return the new seed."""
        value = secrets.randbits(64)
        self.engine.seed(value)
        return value

    def get_state(self) -> TensorBase:
        """The state as PyTorch's 5056-byte ``torch.uint8`` tensor (loadable by ``set_state``
        here and by ``torch.Generator.set_state``)."""
        return wrap_array(self.engine.get_state())

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state from ``get_state`` (here or PyTorch's); returns self."""
        if isinstance(new_state, TensorBase):
            data = new_state._data
        elif type(new_state).__name__ == "Tensor" and hasattr(new_state, "numpy"):
            data = new_state.numpy()  # a state saved by PyTorch itself
        else:
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        self.engine.set_state(np.asarray(data))
        return self

    @property
    def rng(self) -> np.random.Generator:
        """A NumPy ``Generator`` over this stream (for NumPy-only code: its draws advance this
        generator, but their algorithms are NumPy's, not PyTorch's)."""
        if self._numpy is None:
            self._numpy = np.random.Generator(self.engine.bits)
        self.engine.mark_drawn()  # whatever NumPy draws now moves this stream
        return self._numpy

    def __repr__(self) -> str:
        return f"<eager.Generator object at {id(self):#x}>"


default_generator = Generator()


def engine_of(generator: Any) -> Engine:
    """The engine to draw from: ``generator``'s, else the global generator's."""
    if generator is None:
        return default_generator.engine
    if isinstance(generator, Generator):
        return generator.engine
    raise TypeError(f"generator must be an eager.Generator, got {type(generator).__name__}")


__all__ = ["Generator", "default_generator", "engine_of"]

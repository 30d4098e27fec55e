"""Randomness as PyTorch's CPU has it, bit for bit (``eager.random`` is ``torch.random``).

`engine` is PyTorch's MT19937 stream and state layout, `kernels` its sampling kernels
(uniform, normal, integers, bernoulli, exponential), `box_muller` its vectorised normal
path, `sampling` its ``randperm`` and ``multinomial``, `generator` the ``Generator`` class,
`factories` the random tensor factories, `tensor_methods` the in-place ``uniform_``,
``normal_``, ``random_``, ``bernoulli_`` and ``exponential_``.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> eager.rand(3)
    tensor([0.4963, 0.7682, 0.0885])
"""

from . import hooks  # noqa: F401  (registers eager's seed source and direct draws)
from .generator import Generator, default_generator
from .state import fork_rng, get_rng_state, initial_seed, manual_seed, seed, set_rng_state

__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state"]

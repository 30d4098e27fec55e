"""``eager.nn.attention``: PyTorch's ``torch.nn.attention`` package, what changes how
``F.scaled_dot_product_attention`` runs: the `SDPBackend` enum, the `sdpa_kernel` context
manager that picks the backends it may use, and `bias` (causal masks that know their
variant, ``causal_lower_right`` for KV-cached decoding).

On a CPU build, as in PyTorch, only two backends exist: MATH and a flash kernel. Both compute
the same thing here (one composite of shared ops); what the choice changes is which calls are
refused: with MATH off, a call the flash kernel cannot take (dropout, inputs that are not 4-D,
a 3-D mask, a value head size of its own) raises PyTorch's "No available kernel", and with
both off every call raises.

    >>> import eager
    >>> from eager.nn.attention import SDPBackend, sdpa_kernel
    >>> q = eager.ones(1, 1, 2, 4)
    >>> with sdpa_kernel(SDPBackend.MATH):
    ...     eager.nn.functional.scaled_dot_product_attention(q, q, q).shape
    torch.Size([1, 1, 2, 4])

``MultiheadAttention`` stays importable from here (its home is
``eager.nn.multihead_attention``), as it was before this became a package.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from enum import Enum
from typing import Any

from ...backends import cuda as _cuda
from ..multihead_attention import MultiheadAttention
from . import bias

__all__ = ["SDPBackend", "sdpa_kernel", "WARN_FOR_UNFUSED_KERNELS", "MultiheadAttention",
           "bias"]

# PyTorch's switch: set it True to be told why a fused kernel was not used (a CausalBias
# that falls back to a materialized mask warns then). Kept for programs that set it.
WARN_FOR_UNFUSED_KERNELS = False


class SDPBackend(Enum):
    """The backends of scaled dot product attention, numbered as PyTorch's (``int(b)`` gives
    the number; like PyTorch's enum, a member is not equal to its number)."""

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __int__(self) -> int:
        return self.value

    __index__ = __int__


# The backend flags by torch.backends.cuda's names (the overrideable one has no public
# switch there, so it lives here), and the priority order ``set_priority`` changes.
_SWITCHES = {
    SDPBackend.CUDNN_ATTENTION: (_cuda.cudnn_sdp_enabled, _cuda.enable_cudnn_sdp),
    SDPBackend.FLASH_ATTENTION: (_cuda.flash_sdp_enabled, _cuda.enable_flash_sdp),
    SDPBackend.EFFICIENT_ATTENTION: (_cuda.mem_efficient_sdp_enabled,
                                     _cuda.enable_mem_efficient_sdp),
    SDPBackend.MATH: (_cuda.math_sdp_enabled, _cuda.enable_math_sdp),
}
_overrideable = {"enabled": True}
_priority = [SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH,
             SDPBackend.CUDNN_ATTENTION, SDPBackend.OVERRIDEABLE]


def _enabled_backends(with_priority: bool = False) -> list[SDPBackend]:
    found = [b for b, (enabled, _) in _SWITCHES.items() if enabled()]
    if _overrideable["enabled"]:
        found.append(SDPBackend.OVERRIDEABLE)
    return sorted(found, key=_priority.index) if with_priority else found


def _enable_only(backends: list, set_priority: bool) -> None:
    for backend, (_, enable) in _SWITCHES.items():
        enable(backend in backends)
    _overrideable["enabled"] = SDPBackend.OVERRIDEABLE in backends
    if set_priority:
        _priority[:] = list(backends) + [b for b in _priority if b not in backends]


@contextlib.contextmanager
def sdpa_kernel(backends: list[SDPBackend] | SDPBackend, set_priority: bool = False
                ) -> Iterator[dict[str, Any]]:
    """Within the block, ``scaled_dot_product_attention`` may use only ``backends`` (one or
    a list; with ``set_priority``, tried in that order). The previous flags come back on
    exit, as in PyTorch:

        >>> from eager.backends import cuda
        >>> with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
        ...     cuda.math_sdp_enabled()
        False
        >>> cuda.math_sdp_enabled()
        True
    """
    if not isinstance(backends, list | SDPBackend):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of SDPBackend "
                             f"instances, got {type(backends).__name__}")
    wanted = list(dict.fromkeys([backends] if isinstance(backends, SDPBackend) else backends))
    previous = _enabled_backends(with_priority=set_priority)
    try:
        _enable_only(wanted, set_priority)
        yield {}
    finally:
        _enable_only(previous, set_priority)

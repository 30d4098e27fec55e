"""``eager.backends.cuda``: PyTorch's CUDA switches as a CPU-only build reports them; the
flags may be set (programs set ``matmul.allow_tf32`` in their header) and change nothing.

    >>> from eager.backends import cuda
    >>> cuda.is_built(), cuda.matmul.allow_tf32, cuda.flash_sdp_enabled()
    (False, False, True)
"""

from __future__ import annotations

from types import SimpleNamespace

# The cuBLAS flags, with PyTorch's defaults.
matmul = SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                         allow_bf16_reduced_precision_reduction=True)
_sdp = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def is_built() -> bool:
    """Whether this build has CUDA: no."""
    return False


def enable_flash_sdp(enabled: bool) -> None:
    _sdp["flash"] = bool(enabled)


def enable_mem_efficient_sdp(enabled: bool) -> None:
    _sdp["mem_efficient"] = bool(enabled)


def enable_math_sdp(enabled: bool) -> None:
    _sdp["math"] = bool(enabled)


def enable_cudnn_sdp(enabled: bool) -> None:
    _sdp["cudnn"] = bool(enabled)


def cudnn_sdp_enabled() -> bool:
    return _sdp["cudnn"]


def flash_sdp_enabled() -> bool:
    return _sdp["flash"]


def mem_efficient_sdp_enabled() -> bool:
    return _sdp["mem_efficient"]


def math_sdp_enabled() -> bool:
    return _sdp["math"]


__all__ = ["matmul", "is_built", "enable_flash_sdp", "enable_mem_efficient_sdp",
           "enable_math_sdp", "flash_sdp_enabled", "mem_efficient_sdp_enabled",
           "math_sdp_enabled", "enable_cudnn_sdp", "cudnn_sdp_enabled"]

"""``eager.backends``: PyTorch's backend switches, as a CPU-only build reports them.

``mps.is_available()`` and ``cuda.is_built()`` are False; the flags of ``cuda.matmul`` and
``cudnn`` (``allow_tf32``, ``deterministic``, ``benchmark``...) may be set, and change nothing
here: eager's kernels are NumPy's.
"""

from __future__ import annotations

from . import cuda, cudnn, mkldnn, mps, openmp

__all__ = ["cuda", "cudnn", "mkldnn", "mps", "openmp"]

"""``eager.backends``: PyTorch's backend switches, as a CPU-only build reports them.

``mps.is_available()`` is False; ``cudnn``'s flags (``deterministic``, ``benchmark``,
``enabled``) may be set, and change nothing here: eager's kernels are NumPy's.
"""

from __future__ import annotations

from . import cudnn, mps

__all__ = ["cudnn", "mps"]

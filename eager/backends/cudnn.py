"""``eager.backends.cudnn``: settable flags with PyTorch's defaults; nothing reads them (no
cuDNN here), so ``cudnn.deterministic = True`` in a program's header is accepted and harmless.

    >>> from eager.backends import cudnn
    >>> cudnn.deterministic, cudnn.benchmark, cudnn.is_available()
    (False, False, False)
"""

from __future__ import annotations

enabled = True
deterministic = False
benchmark = False
allow_tf32 = True


def is_available() -> bool:
    return False


def version() -> None:
    return None

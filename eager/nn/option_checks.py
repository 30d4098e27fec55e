"""Checks of PyTorch's options that layers and functions share: a ``reduction`` name, and
options the shared ops do not implement (refused, never silently ignored).

    >>> check_reduction("mse_loss", "mean")
    'mean'
    >>> refuse_unsupported("ReLU", inplace=(True, False))
    Traceback (most recent call last):
    NotImplementedError: ReLU: inplace=True is not supported (only the default False)
"""

from __future__ import annotations

import warnings
from typing import Any

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(name: str, reduction: str) -> str:
    """``reduction`` if it is one of `REDUCTIONS`, else a ValueError naming PyTorch's function
    ``name`` (checked here as well as in the op, so that the message names what the user
    called)."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: {reduction} is not a valid value for reduction "
                         f"(expected one of {', '.join(REDUCTIONS)})")
    return reduction


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """``reduction``, or the one PyTorch's deprecated ``size_average``/``reduce`` pair names
    (with PyTorch's warning) when either is given.

        >>> legacy_reduction(None, None, "sum")
        'sum'
    """
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    result = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn("size_average and reduce args will be deprecated, please use "
                  f"reduction='{result}' instead.", stacklevel=3)
    return result


def refuse_unsupported(name: str, **options: Any) -> None:
    """Refuse PyTorch options the shared op does not implement, rather than ignore them:
    each keyword is ``option=(value, the only supported value)``."""
    for key, (value, default) in options.items():
        # `is` for None: `tensor != None` would be an elementwise op.
        if (value is not None) if default is None else (value != default):
            shown = "a tensor" if hasattr(value, "shape") else repr(value)
            raise NotImplementedError(f"{name}: {key}={shown} is not supported "
                                      f"(only the default {default!r})")

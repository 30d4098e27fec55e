"""``torch.compiler``'s helpers that model code calls, for programs written against PyTorch.

Eager's ``compile`` runs the model's Python (its default backend) or traces it once (the
``dualgraph`` backend), and nothing is compiled per frame, so these keep their documented
meaning with nothing to switch: ``disable`` returns the function (wrapped, as PyTorch's, with
``__wrapped__``), ``is_compiling`` is False, ``reset`` has no cache to drop.

    >>> disable(lambda x: x + 1)(1), is_compiling()
    (2, False)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def disable(fn: Callable | None = None, recursive: bool = True, *,
            reason: str | None = None) -> Any:
    """``torch.compiler.disable``: ``fn`` run as it is (a decorator when ``fn`` is None)."""
    if fn is None:
        return functools.partial(disable, recursive=recursive, reason=reason)

    @functools.wraps(fn)
    def run_as_is(*args, **kwargs):
        return fn(*args, **kwargs)

    return run_as_is


def is_compiling() -> bool:
    """``torch.compiler.is_compiling`` (and ``is_dynamo_compiling``): False, no frame is being
    compiled."""
    return False


is_dynamo_compiling = is_compiling  # no Dynamo either


def reset() -> None:
    """``torch.compiler.reset``: nothing cached to clear."""


def allow_in_graph(fn: Callable) -> Callable:
    """``torch.compiler.allow_in_graph`` (and ``assume_constant_result``): ``fn`` itself, as
    there is no per-frame graph to mark it in."""
    return fn


assume_constant_result = allow_in_graph


__all__ = ["allow_in_graph", "assume_constant_result", "disable", "is_compiling",
           "is_dynamo_compiling", "reset"]

"""`FunctionLayer`: the base of the layers whose ``forward`` is one functional call (the
activations, the poolings), the function named in the class statement.

    >>> from eager.nn import functional as F
    >>> class Swish(FunctionLayer, function=F.silu):
    ...     def forward(self, input):
    ...         return type(self).function(input)
    >>> Swish.function is F.silu
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .module import Module


class FunctionLayer(Module):
    """A layer calling ``function`` (given as ``function=`` among the class's bases, inherited
    by its subclasses); ``forward`` is its base's, e.g. ``function(input, inplace=...)``."""

    function: Callable[..., Any] | None = None

    def __init_subclass__(cls, function: Callable[..., Any] | None = None,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if function is not None:
            # A plain function stored on a class would bind as a method; the layers call it
            # as ``type(self).function(input, ...)``.
            cls.function = staticmethod(function)  # type: ignore[assignment]

"""`FunctionLayer`: the base of the layers that hold a few options and call one functional with
them (the activations, the poolings, flatten, pixel shuffle). The class statement names the
function and the options; the constructor keeps PyTorch's signature and hands its arguments
over:

    >>> from eager.nn import functional as F
    >>> class Leaky(FunctionLayer, function=F.leaky_relu, options=("negative_slope", "inplace")):
    ...     def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
    ...         super().__init__(negative_slope, inplace)
    >>> Leaky(0.2)
    Leaky(negative_slope=0.2)
    >>> Leaky(inplace=True)
    Leaky(negative_slope=0.01, inplace=True)
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from .module import Module


def _values_of(options: tuple[str, ...]) -> Callable[[Any], tuple]:
    """``layer -> (layer.<option>, ...)``: one `attrgetter` read of all the options."""
    if len(options) == 1:
        read = attrgetter(options[0])
        return lambda layer: (read(layer),)
    return attrgetter(*options) if options else lambda layer: ()


def _shown(value: Any) -> str:
    # PyTorch's layers print options with str(), strings quoted (GELU(approximate='none')).
    return repr(value) if isinstance(value, str) else str(value)


class FunctionLayer(Module):
    """A layer whose ``forward`` is ``function(input, *options)``.

    ``function`` and ``options`` (attribute names, in the function's argument order after
    ``input``) are given among the class's bases and inherited by its subclasses. The
    constructor stores one value per option; ``extra_repr`` prints them as ``name=value``,
    ``inplace`` only when set, as PyTorch prints its layers.
    """

    function: Callable[..., Any] | None = None
    options: tuple[str, ...] = ()
    _option_values = staticmethod(_values_of(()))

    def __init_subclass__(cls, function: Callable[..., Any] | None = None,
                          options: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if function is not None:
            # A plain function stored on a class would bind as a method.
            cls.function = staticmethod(function)  # type: ignore[assignment]
        if options is not None:
            cls.options = options
            cls._option_values = staticmethod(_values_of(options))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # ``args``: one value per option. Only a layer without a constructor of its own (no
        # options; PyTorch's signature is then Module's, (*args, **kwargs)) is called with the
        # user's arguments here: refuse any, in Python's words for the layer's constructor.
        name = type(self).__name__
        if kwargs:
            raise TypeError(f"{name}.__init__() got an unexpected keyword argument "
                            f"{next(iter(kwargs))!r}")
        if len(args) != len(self.options):
            raise TypeError(f"{name}.__init__() takes {len(self.options) + 1} positional "
                            f"argument{'s' if self.options else ''} but {len(args) + 1} "
                            "were given")
        super().__init__()
        for option, value in zip(self.options, args, strict=True):
            setattr(self, option, value)

    def forward(self, input: Any) -> Any:
        return type(self).function(input, *self._option_values(self))

    def extra_repr(self) -> str:
        return ", ".join(f"{name}={_shown(getattr(self, name))}" for name in self.options
                         if name != "inplace" or self.inplace)

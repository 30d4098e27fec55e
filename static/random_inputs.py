"""Random fills in a traced forward (``x.new_empty(b, 1, h, w).normal_()``: StyleGAN's noise
injection) as inputs fed at every call.

A graph's kernels are pure, and a draw traced as a constant would repeat one sample at every
call. So while a compiled region is traced (`static.compiling.region`), ``normal_``,
``uniform_`` and ``bernoulli_`` on a graph value of known shape make it a placeholder
instead, and the region records what to draw for it; at every call the caller draws that
value from the calling mode's stream (eager's: PyTorch's generator, in the order the forward
made the draws, so a seeded run gives what eager gives) and feeds it. Elsewhere (building a
graph by hand, a jit trace, a control-flow body) there is no caller to feed it and the fill is
refused, naming what to do instead.

    >>> import static, numpy as np
    >>> with static.Graph():
    ...     x = static.placeholder((2, 3), np.float32) * 1.0
    ...     x.normal_()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: normal_ on static node %mul...: random in-place initialization belongs in ...
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Callable, Iterator
from typing import Any

_state = threading.local()


# PyTorch's signatures of the fills (the ``generator`` keyword aside), checked while tracing.
def _normal_(mean: float = 0.0, std: float = 1.0) -> None: ...
def _uniform_(from_: float = 0.0, to: float = 1.0) -> None: ...
def _bernoulli_(p: float = 0.5) -> None: ...


SIGNATURES = {"normal_": inspect.signature(_normal_), "uniform_": inspect.signature(_uniform_),
              "bernoulli_": inspect.signature(_bernoulli_)}


@contextlib.contextmanager
def feeding(source: Callable[[Any, str, dict], Any]) -> Iterator[None]:
    """Inside the block (a region being traced), ``source(node, name, params)`` makes the
    input that stands for the fill ``name`` of ``node`` (with its bound ``params``)."""
    previous = getattr(_state, "source", None)
    _state.source = source
    try:
        yield
    finally:
        _state.source = previous


def random_fill(node: Any, name: str, args: tuple, kwargs: dict) -> Any:
    """The value standing for ``node.<name>(*args, **kwargs)``, or None where nothing would
    feed it (no region is being traced, a ``generator`` is given, a parameter is a graph
    value: the caller then refuses the fill)."""
    source = getattr(_state, "source", None)
    if source is None or kwargs.get("generator") is not None:
        return None
    kwargs = {("from_" if k == "from" else k): v for k, v in kwargs.items() if k != "generator"}
    bound = SIGNATURES[name].bind(*args, **kwargs)
    bound.apply_defaults()
    params = dict(bound.arguments)
    if not all(isinstance(v, int | float) for v in params.values()):
        return None
    return source(node, name, {k: float(v) for k, v in params.items()})


__all__ = ["SIGNATURES", "feeding", "random_fill"]

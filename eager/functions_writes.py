"""torch functions that write into their first argument, as its in-place method does
(``torch.index_put_(x, indices, values)`` is ``x.index_put_(indices, values)``), and
``swapdims``, torch's other spelling of ``swapaxes``, and ``as_strided``, a view of its input's
storage (so writes through it reach the input: `autograd.strided_views`).

    >>> import eager
    >>> x = eager.zeros(3)
    >>> eager.index_put_(x, (eager.tensor([1]),), eager.tensor(5.0)) is x, x.tolist()
    (True, [0.0, 5.0, 0.0])
"""

from __future__ import annotations

from .autograd.strided_views import as_strided


def index_put_(input, indices, values, accumulate: bool = False):  # noqa: A002
    """``input`` with ``values`` written (``accumulate``: added) at ``input[indices]``."""
    return input.index_put_(indices, values, accumulate)


def resize_as_(input, the_template, *, memory_format=None):  # noqa: A002
    """``input`` resized in place to ``the_template``'s shape (`Tensor.resize_as_`)."""
    return input.resize_as_(the_template, memory_format=memory_format)


def swapdims(input, dim0: int, dim1: int):  # noqa: A002
    """``input`` with dims ``dim0`` and ``dim1`` swapped (``torch.swapdims``, ``swapaxes``)."""
    return input.transpose(dim0, dim1)


__all__ = ["index_put_", "resize_as_", "swapdims", "as_strided"]

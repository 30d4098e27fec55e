"""``once_differentiable``: a custom Function's backward that is not itself differentiable.

    >>> import eager
    >>> from eager.autograd.function import Function, once_differentiable
    >>> class Square(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     @once_differentiable
    ...     def backward(ctx, g):
    ...         (x,) = ctx.saved_tensors
    ...         return 2 * x * g
    >>> x = eager.tensor([3.0], requires_grad=True)
    >>> eager.autograd.grad(Square.apply(x).sum(), x)
    (tensor([6.]),)
"""

from __future__ import annotations

import functools

from ..tensor_base import TensorBase, wrap_array
from .custom_function import Function
from .grad_mode import is_grad_enabled, no_grad


def once_differentiable(fn):
    """Decorate a ``backward`` that is not itself differentiable: it runs under ``no_grad``,
    and differentiating its result (``create_graph=True``) raises at that second backward."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not is_grad_enabled():
            return outputs
        needing = [a for a in args if isinstance(a, TensorBase) and a.requires_grad]
        if not needing:
            return outputs
        single = not isinstance(outputs, tuple)
        wrapped = tuple(_DelayedError.apply(o, *needing) if isinstance(o, TensorBase) else o
                        for o in ((outputs,) if single else outputs))
        return wrapped[0] if single else wrapped

    return wrapper


class _DelayedError(Function):
    """Passes a value through; differentiating it raises (see `once_differentiable`)."""

    @staticmethod
    def forward(ctx, value, *grads):
        return wrap_array(value._data)

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError("trying to differentiate twice a function that was marked with "
                           "@once_differentiable")

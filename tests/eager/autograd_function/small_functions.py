"""Small custom ``autograd.Function`` classes written once for eager or torch, for the tests
that need a Function and look at something else: `times` (``x * k``, gradient ``g * k``) and
`square` (``x * x``, saving ``x``)."""

from __future__ import annotations

from typing import Any


def times(L: Any, k: float, name: str, rule: str = "backward",
          grad_shape: tuple[int, ...] | None = None) -> type:
    """A Function class ``name`` of library ``L`` computing ``x * k``. Its gradient rule is
    the static method ``rule`` (``"backward"`` or its alias ``"vjp"``) and returns ``g * k``,
    expanded to ``grad_shape`` when given (a gradient larger than its input)."""

    def forward(ctx, x):
        return x * k

    def gradient(ctx, g):
        g = g * k
        return g if grad_shape is None else g.expand(*grad_shape)

    # Built with type() so that the class has its rule when it is created, as if written out.
    return type(name, (L.autograd.Function,),
                {"forward": staticmethod(forward), rule: staticmethod(gradient)})


def square(L: Any, once_differentiable: bool = False) -> type:
    """A Function class ``Square`` of library ``L``: ``x * x``, saving ``x`` for its backward
    ``2 * x * g``. With ``once_differentiable`` the backward is wrapped in
    ``L.autograd.function.once_differentiable`` and checks that it runs with grad off."""

    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        assert not once_differentiable or not L.is_grad_enabled()
        return 2 * x * g

    if once_differentiable:
        backward = L.autograd.function.once_differentiable(backward)
    return type("Square", (L.autograd.Function,),
                {"forward": staticmethod(forward), "backward": staticmethod(backward)})

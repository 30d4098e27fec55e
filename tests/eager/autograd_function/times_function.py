"""`times`: the smallest custom ``autograd.Function`` (``x * k``, gradient ``g * k``), written
once for eager or torch, for the tests that need a Function and look at something else."""

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

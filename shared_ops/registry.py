"""The op registry: every op is declared once, with everything each mode needs to know.

A **primitive** (`Op`) has four parts:

* ``kernel(*arrays, **attrs) -> ndarray``: plain NumPy, used by eager forward, the static
  executors and constant folding;
* ``shape_rule(*avals, **attrs) -> Aval``: checks inputs and computes the output aval (dims may
  be unknown); the static mode builds with it, the eager mode explains failures with it;
* ``vjp(g, inputs, output, **attrs) -> tuple``: one gradient per input (``None`` where there is
  none), written with shared_ops calls so that it runs on arrays, records on the eager tape
  (higher-order gradients) or stages into a static graph. A rule that declares a keyword
  ``needs`` receives a tuple of bools, one per input (PyTorch's ``needs_input_grad``), and may
  skip the gradients nobody wants: the first layer's ``dL/dx`` is a whole matmul;
* flags: which inputs are differentiable, whether the op is elementwise, whether its kernel
  may write its output over an input, whether its inputs are promoted to a common dtype.

A **composite** (`Composite`) is a Python function of primitives. It has no kernel and no
gradient rule of its own: both come from the primitives it calls. Entering a composite is
announced to the dispatcher so a static graph can remember which nodes a ``softmax`` call
made (fusion passes and diagrams use that), and errors raised inside name the composite.

Declared ops land in `op_table.OPS` (re-exported here), the name -> op table that the
dispatcher also reads, without importing this module.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from . import composite_calls, dispatch
from .op_table import OPS, register

__all__ = ["OPS", "Composite", "Op", "composite", "composites", "primitive", "primitives",
           "register"]


class Op:
    """A primitive op. Calling it dispatches on the kinds of its arguments."""

    __slots__ = ("name", "kernel", "shape_rule", "vjp", "nondiff_inputs", "differentiable_output",
                 "elementwise", "inplace_safe", "promote", "floating", "variadic", "doc",
                 "vjp_needs", "__weakref__")

    def __init__(
        self,
        name: str,
        kernel: Callable[..., Any],
        shape_rule: Callable[..., Any],
        vjp: Callable[..., tuple] | None = None,
        *,
        nondiff_inputs: tuple[int, ...] = (),
        differentiable_output: bool = True,
        elementwise: bool = False,
        inplace_safe: bool = False,
        promote: bool | tuple[int, ...] = False,
        floating: bool = False,
        variadic: bool = False,
        doc: str = "",
    ):
        self.name = name
        self.kernel = kernel
        self.shape_rule = shape_rule
        self.vjp = vjp
        # Does the rule take ``needs=(bool, ...)``? (Others compute every input's gradient.)
        self.vjp_needs = vjp is not None and "needs" in inspect.signature(vjp).parameters
        self.nondiff_inputs = frozenset(nondiff_inputs)
        # Comparisons, argmax, casts to int...: no gradient flows through the output at all.
        self.differentiable_output = differentiable_output and vjp is not None
        self.elementwise = elementwise
        self.inplace_safe = inplace_safe
        # True: promote every input to one dtype; a tuple: only those positions (where's x, y).
        self.promote = promote
        # Float-only math (exp, sqrt, true division): bool/int inputs become float32 first,
        # as in PyTorch (NumPy would give float64).
        self.floating = floating
        # Variadic ops (concat, stack) take one sequence: concat([a, b], axis=0).
        self.variadic = variadic
        self.doc = doc

    @property
    def primitive(self) -> bool:
        return True

    # Calling an op is dispatching it: `dispatch.call_op` is the method itself, so a call
    # reaches the mode or the kernel without another Python frame in between.
    __call__ = dispatch.call_op

    def __repr__(self) -> str:
        return f"<op {self.name}>"


class Composite:
    """An op written as a Python function of other ops.

    ``immediate`` (optional) computes the same function with fewer, fused primitives when the
    values are at hand (eager Tensors, arrays). A staged graph keeps the decomposition, whose
    pieces the static compiler can see, fold and fuse itself; an eager program cannot be
    optimized after the fact, so it calls the fused kernels directly, as PyTorch's eager mode
    does with ``addmm`` and ``binary_cross_entropy``. It may return NotImplemented for
    arguments it does not cover (the decomposition then runs). Both forms must agree:
    tests/shared_ops/test_immediate_forms.py holds them to each other.
    """

    def __init__(self, name: str, fn: Callable[..., Any],
                 immediate: Callable[..., Any] | None = None):
        self.name = name
        self.fn = fn
        self.immediate = immediate
        self.doc = fn.__doc__ or ""
        functools.update_wrapper(self, fn)  # help(softmax) shows the function's docstring

    @property
    def primitive(self) -> bool:
        return False

    # As with `Op`: the call is the dispatcher's function itself, no frame in between.
    __call__ = composite_calls.call_composite

    def __repr__(self) -> str:
        return f"<composite {self.name}>"


def primitive(name: str, kernel, shape_rule, vjp=None, **flags) -> Op:
    """Declare and register a primitive op (see `Op` for the parts)."""
    op = Op(name, kernel, shape_rule, vjp, **flags)
    op.doc = flags.get("doc") or getattr(kernel, "__doc__", "") or ""
    register(op)
    return op


def composite(fn=None, *, name: str | None = None, immediate: Callable | None = None):
    """Decorator: register ``fn`` as a composite op under its own name (``immediate``: the
    fused form for values at hand, see `Composite`).

        @composite
        def softmax(x, axis=-1):
            return exp(sub(x, logsumexp(x, axis=axis, keepdims=True)))
    """

    def wrap(f):
        return register(Composite(name or f.__name__, f, immediate))

    return wrap(fn) if fn is not None else wrap


def primitives() -> list[Op]:
    return [op for op in OPS.values() if isinstance(op, Op)]


def composites() -> list[Composite]:
    return [op for op in OPS.values() if isinstance(op, Composite)]

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
  may write its output over an input, whether its inputs are promoted to a common dtype;
* facets: what a compiler may know about the op without reading its kernel (`Op` lists them:
  the ufunc it is, whether it returns a view or a fresh array, which inputs it is linear in,
  how to compute it into a given array...). The static compiler reads only these: adding an
  op never means editing the compiler (docs/ADDING_AN_OP.md).

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

import numpy as np

from . import composite_calls, dispatch
from .op_table import OPS, register

__all__ = ["OPS", "Composite", "Op", "composite", "composites", "primitive", "primitives",
           "register"]


class Op:
    """A primitive op. Calling it dispatches on the kinds of its arguments.

    Besides kernel, shape rule and gradient rule, an op declares *facets*: facts about it that
    a compiler uses instead of keeping tables of op names (all keyword-only, all optional):

    * ``ufunc``: the elementwise NumPy ufunc that computes it (``np.add``), derived when the
      kernel is one; a compiler computes the op into a buffer as ``ufunc(*args, out=buf)``;
    * ``into``: its *out form*, a function of a writer that computes it into a given array
      as a few NumPy calls (`shared_ops.forms` says how), for ops that are not one ufunc;
    * ``with_grad``: ``(grad_op, form)``: an out form that computes the op and its gradient
      op (called ``grad_op(g, *inputs, **attrs)``) together, for a compiler that sees both
      (softmax cross-entropy shares one exp pass with its gradient);
    * ``view``: the kernel returns a view of input 0 (reshape, transpose, broadcast_to...);
    * ``fresh``: the kernel always returns a new array, never an input or a view of one
      (derived True for ufunc ops);
    * ``linear_in``: which inputs the op is homogeneous of degree one in, the others held
      fixed: ``"all"`` of them jointly (add, concat), a tuple of positions (``(0,)`` for
      ``sum_to(g, like)``, ``(1, 2)`` for ``where(c, x, y)``), or ``"each"`` input on its own
      (mul, matmul: bilinear). The step-size folding pass proves gradients linear with it;
    * ``shape_only``: the output depends on the inputs' shapes only, not their values
      (numel): a compiler may compute it once per plan;
    * ``shift_invariant``: ``(k, axis_of)``: the value does not change when input ``k`` is
      shifted by a constant along axis ``axis_of(attrs, ndim)`` (a softmax's logits), so a
      shift by the max before it may be dropped;
    * ``torch_name``: PyTorch's name of the backward node (``grad_fn``) the op records, where
      it is not the op's own name in CamelCase (``ToCopyBackward0`` for cast), or a function
      ``(attrs, ndims, constants) -> str`` where PyTorch's choice depends on the call (its
      inputs' ranks, which inputs are constants): ``SumBackward0`` for a full sum.
    """

    __slots__ = ("name", "kernel", "shape_rule", "vjp", "nondiff_inputs", "differentiable_output",
                 "elementwise", "inplace_safe", "promote", "floating", "variadic", "doc",
                 "vjp_needs", "ufunc", "into", "with_grad", "view", "fresh", "linear_in",
                 "shape_only", "shift_invariant", "torch_name", "__weakref__")

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
        ufunc: np.ufunc | None = None,
        into: Callable[[Any], Any] | None = None,
        with_grad: tuple[Op, Callable[[Any], Any]] | None = None,
        view: bool = False,
        fresh: bool | None = None,
        linear_in: str | tuple[int, ...] | None = None,
        shape_only: bool = False,
        shift_invariant: tuple[int, Callable[[dict, int], int]] | None = None,
        torch_name: str | Callable[..., str] | None = None,
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
        # The kernel, or the out form, may write the output over an input that dies there
        # (a compiler then computes ``np.add(a, b, out=a)``).
        self.inplace_safe = inplace_safe
        # True: promote every input to one dtype; a tuple: only those positions (where's x, y).
        self.promote = promote
        # Float-only math (exp, sqrt, true division): bool/int inputs become float32 first,
        # as in PyTorch (NumPy would give float64).
        self.floating = floating
        # Variadic ops (concat, stack) take one sequence: concat([a, b], axis=0).
        self.variadic = variadic
        self.doc = doc
        # Facets (see the class docstring). A gufunc (np.matmul) is not elementwise: no ufunc.
        if ufunc is None and isinstance(kernel, np.ufunc) and kernel.signature is None:
            ufunc = kernel
        self.ufunc = ufunc
        self.into = into
        self.with_grad = with_grad
        self.view = view
        self.fresh = (ufunc is not None) if fresh is None else fresh
        _check_facets(name, view, self.fresh, linear_in)
        self.linear_in = linear_in
        self.shape_only = shape_only
        self.shift_invariant = shift_invariant
        self.torch_name = torch_name

    primitive = True  # a kernel of its own (a Composite's is False)

    # Calling an op is dispatching it: `dispatch.call_op` is the method itself, so a call
    # reaches the mode or the kernel without another Python frame in between.
    __call__ = dispatch.call_op

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def _check_facets(name: str, view: bool, fresh: bool, linear_in) -> None:
    """Refuse facets that contradict each other or that no pass could read."""
    if view and fresh:
        raise ValueError(f"op {name!r}: a view is not a fresh array")
    if linear_in not in (None, "all", "each") and not isinstance(linear_in, tuple):
        raise ValueError(f"op {name!r}: linear_in must be 'all', 'each' or a tuple of "
                         f"input positions, got {linear_in!r}")


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
                 immediate: Callable[..., Any] | None = None, torch_name: str | None = None):
        self.name = name
        self.fn = fn
        self.immediate = immediate
        self.torch_name = torch_name  # as `Op`'s (the name of PyTorch's backward for it)
        self.doc = fn.__doc__ or ""
        functools.update_wrapper(self, fn)  # help(softmax) shows the function's docstring

    primitive = False

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


def composite(fn=None, *, name: str | None = None, immediate: Callable | None = None,
              torch_name: str | None = None):
    """Decorator: register ``fn`` as a composite op under its own name (``immediate``: the
    fused form for values at hand, see `Composite`; ``torch_name``: as `Op`'s).

        @composite
        def softmax(x, axis=-1):
            return exp(sub(x, logsumexp(x, axis=axis, keepdims=True)))
    """

    def wrap(f):
        return register(Composite(name or f.__name__, f, immediate, torch_name))

    return wrap(fn) if fn is not None else wrap


def primitives() -> list[Op]:
    return [op for op in OPS.values() if isinstance(op, Op)]


def composites() -> list[Composite]:
    return [op for op in OPS.values() if isinstance(op, Composite)]

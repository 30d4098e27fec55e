"""Helpers of the registry walk (``test_registry_walk.py``): the collected cases, flattening
of variadic inputs, cotangents, our VJP of a case, and abstract evaluation (avals through the
dispatcher, as a static graph build would run the shape rules).
"""

from __future__ import annotations

import importlib

import cases_core  # noqa: I001 -- found through pytest's rootdir-relative sys.path
import numpy as np
import pytest

from shared_ops import OPS, Aval, aval_of, dispatch


def _cases_of(module: str) -> list:
    """``module.CASES``; empty while that family's author has not written the module yet."""
    try:
        return list(importlib.import_module(module).CASES)
    except ModuleNotFoundError as e:
        if e.name != module:
            raise
        return []


# Families: core ops, neural ops (with conv/pool), the static compiler's fused primitives, and
# PyTorch's tensor ops of issue 16 (ordering; selection and contraction; arithmetic and norms).
FAMILIES = ("cases_neural", "cases_fused", "cases_ordering", "cases_selection", "cases_arith",
            "cases_runtime_shape", "cases_recurrent", "cases_layers16", "cases_linalg",
            "cases_surface2", "cases_math_stats", "cases_nnlayers2", "cases_scatter_reduce",
            "cases_bits", "cases_functions3", "cases_bitcast", "cases_trig", "cases_linalg_lu",
            "cases_incomplete_gamma", "cases_diagonal", "cases_matrix_products", "cases_complex")
CASES = list(cases_core.CASES) + [c for family in FAMILIES for c in _cases_of(family)]
RTOL, ATOL = 1e-5, 1e-7


def case_id(c) -> str:
    return f"{c.op}-{c.id}" if c.id else c.op


# --- helpers ---------------------------------------------------------------------------------
def outputs(out) -> list:
    return [np.asarray(o) for o in out] if isinstance(out, list | tuple) else [np.asarray(out)]


def flat_inputs(op, args: tuple):
    """The inputs as one flat list (variadic ops take a list) and how to rebuild args."""
    if getattr(op, "variadic", False):
        return list(args[0]), lambda flat: (list(flat),) + tuple(args[1:])
    return list(args), tuple


def input_shapes(flat: list, unknown_dim: bool) -> tuple[dict[int, tuple], bool]:
    """The shape of each array input by flat position and whether one dim was made unknown:
    with ``unknown_dim`` the first input's first dim (when it is not 1, whose broadcasting
    meaning None would change) becomes None."""
    shapes, done = {}, False
    for i, a in enumerate(flat):
        if isinstance(a, np.ndarray):
            shape = tuple(a.shape)
            if unknown_dim and not done and shape and shape[0] != 1:
                shape, done = (None,) + shape[1:], True
            shapes[i] = shape
    return shapes, done


def diff_positions(op, flat) -> list[int]:
    nondiff = op.nondiff_inputs if op.primitive else ()
    return [i for i, a in enumerate(flat) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
            and i not in nondiff]


def cotangents(outs, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(o.shape).astype(o.dtype) for o in outs]


def graded(outs, gs) -> tuple[list, list]:
    """The outputs that carry a gradient (floating ones: sort's values, not its indices) and
    their cotangents; the others are constants to every autodiff. (A cotangent has its
    output's dtype, so it tells, whatever kind of value the output is.)"""
    pairs = [(o, g) for o, g in zip(outs, gs, strict=True) if g.dtype.kind == "f"]
    return [o for o, _ in pairs], [g for _, g in pairs]


def stages(c) -> bool:
    """Whether a static graph can run the case: not where a value in or out is complex (static
    graphs refuse those, tests/eager/complex/test_complex_static_refusal.py)."""
    values = [a for a in flat_inputs(OPS[c.op], c.args)[0] if isinstance(a, np.ndarray)]
    return not any(v.dtype.kind == "c" for v in values + outputs(OPS[c.op](*c.args, **c.attrs)))


def differentiable(c) -> bool:
    op = OPS[c.op]
    return c.grad and (not op.primitive or op.differentiable_output)


def our_vjp(c, flat, rebuild, gs) -> list:
    """Our gradient of sum(g * op(...)) w.r.t. every flat input (None where there is none)."""
    op = OPS[c.op]
    if op.primitive:
        # The VJP sees the inputs exactly as the kernel did: normalized by the dispatcher.
        inputs = dispatch.normalize_args(op, tuple(flat))
        if op.floating:
            inputs = dispatch._to_floating(inputs)
        out = np.asarray(op.kernel(*inputs, **c.attrs))
        grads = op.vjp(gs[0], inputs, out, **c.attrs)
        assert len(grads) == len(flat), f"{c.op}: vjp returned {len(grads)} grads"
        return [None if g is None else np.asarray(g) for g in grads]
    eager = pytest.importorskip("eager")
    if not hasattr(eager, "Tensor"):
        pytest.skip("eager mode not built yet")
    positions = diff_positions(op, flat)
    tensors = [eager.Tensor(a.copy(), requires_grad=True) if i in positions else a
               for i, a in enumerate(flat)]
    outs = op(*rebuild(tensors), **c.attrs)
    outs, gs = graded(list(outs) if isinstance(outs, list | tuple) else [outs], gs)
    got = eager.autograd.grad(outs, [tensors[i] for i in positions],
                              grad_outputs=[eager.Tensor(g) for g in gs], allow_unused=True)
    grads: list = [None] * len(flat)
    for i, g in zip(positions, got, strict=True):
        grads[i] = None if g is None else np.asarray(g.numpy())
    return grads


# --- abstract evaluation: the shape rules run through the dispatcher, like a static build ---
class Abstract:
    """A value known only by its aval; ops on it return the shape rule's answer."""

    def __init__(self, aval: Aval):
        self.aval = aval
        self.shape, self.dtype, self.ndim = aval.shape, aval.dtype, len(aval.shape)


def abstract_apply(op, args, attrs):
    return Abstract(op.shape_rule(*(aval_of(a) for a in args), **attrs))


dispatch.register_mode("test-abstract", Abstract, abstract_apply, priority=100)


def abstract_eval(c, unknown_dim: bool):
    """Run the case on Abstract values; with ``unknown_dim`` the first input's first dim
    (when it is not 1, whose broadcasting meaning None would change) becomes None."""
    op = OPS[c.op]
    flat, rebuild = flat_inputs(op, c.args)
    shapes, made_unknown = input_shapes(flat, unknown_dim)
    if unknown_dim and not made_unknown:
        pytest.skip("no input dim to make unknown")
    abstract = [Abstract(Aval(shapes[i], a.dtype)) if i in shapes else a
                for i, a in enumerate(flat)]
    return outputs_abstract(op(*rebuild(abstract), **c.attrs))


def outputs_abstract(out) -> list:
    return list(out) if isinstance(out, list | tuple) else [out]



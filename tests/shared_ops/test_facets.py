"""The ops' facets are true, checked on every case of the registry walk.

A facet is a claim a compiler acts on without looking at the kernel (`registry.Op`), so each
claim is held to the kernel here, on the inputs of every `OpCase` (tests/shared_ops/cases_*.py):
a ``ufunc`` computes what the kernel computes; a ``view`` shares input 0's memory and a
``fresh`` result shares none; ``linear_in`` inputs scaled by 2 scale the output by 2;
``shape_only`` outputs ignore the values; ``shift_invariant`` outputs ignore a shift; an out
form (`shared_ops.forms`), run by its reference writer, gives the kernel's value, also when it
writes over a dying input of an ``inplace_safe`` op; a ``with_grad`` form gives the value and
the gradient op's value; a ``torch_name`` that depends on the call names a backward. And
the registry's primitives are exactly those that `shared_ops.primitive_set` lists.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from walk_support import CASES, case_id, flat_inputs

from shared_ops import OPS, aval_of, dispatch
from shared_ops.forms import form_of, run_form
from shared_ops.primitive_set import FUSED, PRIMITIVES, listed

PRIMITIVE_CASES = [c for c in CASES if OPS[c.op].primitive]


def _inputs(c) -> tuple:
    """The case's inputs as the kernel sees them (normalized by the dispatcher)."""
    op = OPS[c.op]
    flat, _ = flat_inputs(op, c.args)
    inputs = dispatch.normalize_args(op, tuple(flat))
    return dispatch._to_floating(inputs) if op.floating else inputs


def _kernel(c, inputs) -> np.ndarray:
    return np.asarray(OPS[c.op].kernel(*inputs, **c.attrs))


def _cases_with(facet: str) -> list:
    return [c for c in PRIMITIVE_CASES if getattr(OPS[c.op], facet)]


# --- the list of primitives ------------------------------------------------------------------
def test_the_registry_holds_exactly_the_listed_primitives():
    registered = {name for name, op in OPS.items() if op.primitive}
    unlisted, gone = sorted(registered - listed()), sorted(listed() - registered)
    assert not unlisted, (f"primitives registered but not listed in "
                          f"shared_ops/primitive_set.py: {unlisted}; add each to its family "
                          "there (docs/ADDING_AN_OP.md)")
    assert not gone, f"shared_ops/primitive_set.py lists ops that are not registered: {gone}"
    names = [name for family in PRIMITIVES.values() for name in family]
    assert len(names) == len(set(names)), "a primitive is listed twice"
    assert set(FUSED) <= set(PRIMITIVES["fused"])


# --- facets against kernels ------------------------------------------------------------------
@pytest.mark.parametrize("c", _cases_with("ufunc"), ids=case_id)
def test_ufunc_computes_the_kernel(c):
    inputs = _inputs(c)
    np.testing.assert_array_equal(OPS[c.op].ufunc(*inputs, **c.attrs), _kernel(c, inputs))


@pytest.mark.parametrize("c", _cases_with("view"), ids=case_id)
def test_a_view_shares_the_memory_of_input_0(c):
    inputs = _inputs(c)
    out = OPS[c.op].kernel(*inputs, **c.attrs)
    assert out.size == 0 or np.shares_memory(out, inputs[0])


@pytest.mark.parametrize("c", _cases_with("fresh"), ids=case_id)
def test_a_fresh_result_shares_no_input_memory(c):
    inputs = _inputs(c)
    out = np.asarray(OPS[c.op].kernel(*inputs, **c.attrs))
    for x in inputs:
        if isinstance(x, np.ndarray):
            assert not np.shares_memory(out, x), c.op


@pytest.mark.parametrize("c", _cases_with("shape_only"), ids=case_id)
def test_a_shape_only_result_ignores_the_values(c):
    inputs = _inputs(c)
    zeros = [np.zeros_like(x) if isinstance(x, np.ndarray) else x for x in inputs]
    np.testing.assert_array_equal(_kernel(c, zeros), _kernel(c, inputs))


def _linear_groups(op, n: int) -> list[tuple[int, ...]]:
    """The sets of inputs to scale together, by the op's ``linear_in``."""
    if op.linear_in == "each":
        return [(k,) for k in range(n)]
    return [tuple(range(n)) if op.linear_in == "all" else op.linear_in]


@pytest.mark.parametrize("c", _cases_with("linear_in"), ids=case_id)
def test_linear_inputs_scale_the_output(c):
    op, inputs = OPS[c.op], _inputs(c)
    out = _kernel(c, inputs)
    if out.dtype.kind != "f":
        pytest.skip("not a float output")
    for group in _linear_groups(op, len(inputs)):
        scaled = [x * 2 if k in group and isinstance(x, np.ndarray) and x.dtype.kind == "f"
                  else x for k, x in enumerate(inputs)]
        np.testing.assert_allclose(_kernel(c, scaled), 2 * out, rtol=1e-12, atol=1e-12,
                                   err_msg=f"{c.op}: inputs {group} scaled by 2")


@pytest.mark.parametrize("c", _cases_with("shift_invariant"), ids=case_id)
def test_a_shift_of_the_invariant_input_changes_nothing(c):
    op, inputs = OPS[c.op], list(_inputs(c))
    k, axis_of = op.shift_invariant
    x = inputs[k]
    axis = axis_of(c.attrs, x.ndim) % x.ndim
    shift = np.arange(np.prod(np.delete(x.shape, axis)), dtype=x.dtype).reshape(
        np.delete(x.shape, axis))  # one constant per slice along the axis
    inputs[k] = x + np.expand_dims(shift * 7.0, axis)
    np.testing.assert_allclose(_kernel(c, inputs), _kernel(c, _inputs(c)), rtol=1e-9,
                               atol=1e-9)


# --- out forms, by their reference writer ----------------------------------------------------
FORM_CASES = [c for c in PRIMITIVE_CASES if form_of(OPS[c.op]) is not None]


def _same(got, want, c):
    got = np.asarray(got)
    assert got.shape == want.shape and got.dtype == want.dtype, c.op
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=c.op)


@pytest.mark.parametrize("c", FORM_CASES, ids=case_id)
def test_an_out_form_computes_the_kernel(c):
    op, inputs = OPS[c.op], _inputs(c)
    want = _kernel(c, inputs)
    got = run_form(form_of(op), inputs, c.attrs, aval_of(want))
    if got is NotImplemented:
        pytest.skip("the form does not cover this case: the kernel runs")
    _same(got, want, c)
    if not op.inplace_safe:
        return
    for k, x in enumerate(inputs):  # written over input k, as for an input dying there
        if isinstance(x, np.ndarray) and x.shape == want.shape and x.dtype == want.dtype:
            copies = [a.copy() if isinstance(a, np.ndarray) else a for a in inputs]
            _same(run_form(form_of(op), copies, c.attrs, aval_of(want), overwrite=k), want, c)


@pytest.mark.parametrize("c", _cases_with("with_grad"), ids=case_id)
def test_a_with_grad_form_computes_the_value_and_the_gradient(c):
    op, inputs = OPS[c.op], _inputs(c)
    grad_op, form = op.with_grad
    value = _kernel(c, inputs)
    g = np.random.default_rng(0).standard_normal(value.shape).astype(value.dtype)
    grad = np.asarray(grad_op.kernel(g, *inputs, **c.attrs))
    got_value, got_grad = run_form(form, [*inputs, g], c.attrs, aval_of(grad))
    _same(got_value, value, c)
    _same(got_grad, grad, c)


@pytest.mark.parametrize("c", [c for c in PRIMITIVE_CASES if callable(OPS[c.op].torch_name)],
                         ids=case_id)
def test_a_torch_name_that_depends_on_the_call_names_a_backward(c):
    inputs = _inputs(c)
    for constants in ([False] * len(inputs), [True] + [False] * (len(inputs) - 1)):
        name = OPS[c.op].torch_name(c.attrs, [np.ndim(x) for x in inputs], constants)
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*Backward\d", name), (c.op, name)

"""One parametrized walk over every registered op, driven by the OpCase lists.

For each case: the op's output matches its NumPy reference; the shape rule predicts the
output's shape and dtype, also with an unknown (None) dim; the gradient matches central
finite differences in float64; and, when torch is installed, forward and gradient match
torch. Primitives' VJPs are called directly on ndarrays; composites have no VJP of their own
and are differentiated through the eager mode (skipped until it exists). Gradient rules are
also run on abstract values (they must be op programs) and differentiated a second time.
"""

from __future__ import annotations

import numpy as np
import pytest
from walk_support import (
    CASES,
    RTOL,
    Abstract,
    abstract_eval,
    case_id,
    cotangents,
    diff_positions,
    differentiable,
    flat_inputs,
    graded,
    our_vjp,
    outputs,
    outputs_abstract,
    stages,
)

import shared_ops
from shared_ops import OPS, aval_of, dispatch
from shared_ops.errors import OpError


# --- the walk --------------------------------------------------------------------------------
def test_every_op_has_a_case():
    covered = {c.op for c in CASES}
    missing = sorted(set(OPS) - covered)
    assert not missing, f"ops without an OpCase: {missing}"


def test_cases_name_registered_ops():
    unknown = sorted({c.op for c in CASES} - set(OPS))
    assert not unknown, f"cases for ops that are not registered: {unknown}"


@pytest.mark.parametrize("c", CASES, ids=case_id)
def test_forward_matches_reference(c):
    if c.reference is None:
        pytest.skip("no NumPy reference")
    got = outputs(OPS[c.op](*c.args, **c.attrs))
    want = outputs(c.reference(*c.args, **c.attrs))
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape, f"{c.op}: shape {g.shape}, reference {w.shape}"
        np.testing.assert_allclose(g, w, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("unknown_dim", [False, True], ids=["known", "unknown-dim"])
@pytest.mark.parametrize("c", CASES, ids=case_id)
def test_shape_rule_matches_output(c, unknown_dim):
    if not stages(c):
        pytest.skip("abstract values, as static graphs, refuse complex values")
    got = outputs(OPS[c.op](*c.args, **c.attrs))
    predicted = abstract_eval(c, unknown_dim)
    assert len(predicted) == len(got)
    for p, g in zip(predicted, got, strict=True):
        assert p.dtype == g.dtype, f"{c.op}: rule says {p.aval}, kernel gave {g.dtype}"
        assert len(p.shape) == g.ndim, f"{c.op}: rule says {p.aval}, kernel gave {g.shape}"
        assert all(d is None or d == n for d, n in zip(p.shape, g.shape, strict=True)), \
            f"{c.op}: rule says {p.aval}, kernel gave {g.shape}"
        if not unknown_dim and not _data_dependent(c):
            assert p.shape == g.shape, f"{c.op}: rule says {p.aval}, kernel gave {g.shape}"


def _data_dependent(c) -> bool:
    """A boolean mask among the inputs, or an op whose output size is a count of values:
    the output size depends on the values (the rule says None there)."""
    if c.op in _VALUE_SIZED:
        return True

    def masks(v) -> bool:
        if isinstance(v, list | tuple):
            return any(masks(u) for u in v)
        return isinstance(v, np.ndarray) and v.dtype.kind == "b" and c.op in _MASKING
    return masks(c.args)


_MASKING = {"getitem", "index", "index_add", "add_at"}
_VALUE_SIZED = {"bincount", "argwhere", "nonzero", "unique", "unique_values", "unique_counts",
                "repeat_indices", "repeat_interleave"}


@pytest.mark.parametrize("c", [c for c in CASES if c.grad], ids=case_id)
def test_vjp_matches_finite_differences(c):
    if not differentiable(c):
        pytest.skip("the op has no gradient")
    op = OPS[c.op]
    flat, rebuild = flat_inputs(op, c.args)

    def loss(values) -> float:
        outs = outputs(op(*rebuild(values), **c.attrs))
        return float(sum(np.sum(g * o) for g, o in zip(gs, outs, strict=True)))

    gs = cotangents(outputs(op(*c.args, **c.attrs)), seed=7)
    grads = our_vjp(c, flat, rebuild, gs)
    positions = diff_positions(op, flat)
    assert positions, f"{c.op}: a gradient case needs a float64 input"
    eps = 1e-6
    for i in positions:
        x = flat[i]
        assert x.dtype == np.float64, "differentiable case inputs must be float64"
        numeric = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[j] += eps
            minus[j] -= eps
            numeric[j] = (loss(flat[:i] + [plus] + flat[i + 1:])
                          - loss(flat[:i] + [minus] + flat[i + 1:])) / (2 * eps)
        got = np.zeros_like(x) if grads[i] is None else grads[i]
        assert got.shape == x.shape, f"{c.op}: gradient {got.shape} for input {x.shape}"
        np.testing.assert_allclose(got, numeric, rtol=RTOL, atol=1e-6,
                                   err_msg=f"{c.op}: gradient of input {i}")


def _to_torch(torch, flat, positions):
    out = []
    for i, a in enumerate(flat):
        if isinstance(a, np.ndarray):
            t = torch.from_numpy(a.copy())
            out.append(t.requires_grad_(True) if i in positions else t)
        else:
            out.append(a)
    return out


@pytest.mark.parametrize("c", [c for c in CASES if c.torch_fn is not None], ids=case_id)
def test_matches_torch(c):
    torch = pytest.importorskip("torch")
    op = OPS[c.op]
    flat, rebuild = flat_inputs(op, c.args)
    positions = diff_positions(op, flat) if differentiable(c) else []
    tflat = _to_torch(torch, flat, positions)
    tout = c.torch_fn(torch, *rebuild(tflat), **c.attrs)
    touts = list(tout) if isinstance(tout, list | tuple) else [tout]
    outs = outputs(op(*c.args, **c.attrs))
    assert len(outs) == len(touts)
    for o, t in zip(outs, touts, strict=True):
        np.testing.assert_allclose(o, t.detach().numpy(), rtol=RTOL, atol=1e-12)
    if not positions:
        return
    gs = cotangents(outs, seed=11)
    tgraded, tgs = graded(touts, gs)
    tgrads = torch.autograd.grad(tgraded, [tflat[i] for i in positions],
                                 grad_outputs=[torch.from_numpy(g) for g in tgs],
                                 allow_unused=True)
    grads = our_vjp(c, flat, rebuild, gs)
    for i, tg in zip(positions, tgrads, strict=True):
        want = np.zeros_like(flat[i]) if tg is None else tg.numpy()
        got = np.zeros_like(flat[i]) if grads[i] is None else grads[i]
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-10,
                                   err_msg=f"{c.op}: gradient of input {i} vs torch")


def test_kernel_failures_become_op_errors():
    # Not a case of its own op: checks the walk's premise that failures carry the op name.
    with pytest.raises(OpError, match="^add: "):
        shared_ops.add(np.ones(3), np.ones(4))


# --- gradient rules are op programs: they run abstractly and differentiate again -------------
@pytest.mark.parametrize("c", [c for c in CASES if c.grad], ids=case_id)
def test_vjp_runs_on_abstract_values(c):
    """The VJP, run on avals through the dispatcher (as a static graph would stage it), gives
    each input a gradient of that input's shape and dtype: the rule uses only ops."""
    op = OPS[c.op]
    if not op.primitive or not differentiable(c):
        pytest.skip("composites and non-differentiable ops have no VJP of their own")
    flat, _ = flat_inputs(op, c.args)
    inputs = dispatch.normalize_args(op, tuple(flat))
    if op.floating:
        inputs = dispatch._to_floating(inputs)
    out = np.asarray(op.kernel(*inputs, **c.attrs))
    ab = [Abstract(aval_of(a)) for a in inputs]
    grads = op.vjp(Abstract(aval_of(out)), ab, Abstract(aval_of(out)), **c.attrs)
    for i, (a, g) in enumerate(zip(inputs, grads, strict=True)):
        if g is None:
            assert i in op.nondiff_inputs or a.dtype.kind != "f", f"{c.op}: no grad for {i}"
            continue
        assert isinstance(g, Abstract), f"{c.op}: gradient {i} was not built from ops"
        assert g.aval == aval_of(a), f"{c.op}: gradient {i} is {g.aval}, input {aval_of(a)}"


# Cases evaluated where a second derivative does not exist: on purpose, at ties (the first
# gradient jumps there), and pow at 0 (its exponent gradient has a log(x) branch).
_NOT_TWICE_SMOOTH = {"pow-zero-base", "maximum-ties", "minimum-ties", "max-ties", "min-ties"}


@pytest.mark.parametrize("c", [c for c in CASES if c.grad], ids=case_id)
def test_second_order_matches_finite_differences(c):
    """Hessian-vector products by double backward (create_graph) vs central differences of
    the first gradient: the VJPs of the VJPs are right."""
    eager = pytest.importorskip("eager")
    if not hasattr(eager, "Tensor"):
        pytest.skip("eager mode not built yet")
    if not differentiable(c) or case_id(c) in _NOT_TWICE_SMOOTH:
        pytest.skip("no second derivative here")
    op = OPS[c.op]
    flat, rebuild = flat_inputs(op, c.args)
    positions = diff_positions(op, flat)
    gs = cotangents(outputs(op(*c.args, **c.attrs)), seed=3)
    rng = np.random.default_rng(5)
    vs = {i: rng.standard_normal(flat[i].shape) for i in positions}

    def first(values, create_graph):
        ts = [eager.Tensor(a.copy(), requires_grad=True) if i in positions else a
              for i, a in enumerate(values)]
        outs, ogs = graded(outputs_abstract(op(*rebuild(ts), **c.attrs)), gs)
        got = eager.autograd.grad(outs, [ts[i] for i in positions],
                                  grad_outputs=[eager.Tensor(g) for g in ogs],
                                  create_graph=create_graph, allow_unused=True)
        return ts, got

    ts, got = first(flat, create_graph=True)
    terms = [shared_ops.sum(shared_ops.mul(g, vs[i]))
             for i, g in zip(positions, got, strict=True) if g is not None and g.requires_grad]
    hvp = {i: np.zeros_like(flat[i]) for i in positions}
    if terms:
        total = terms[0]
        for t in terms[1:]:
            total = shared_ops.add(total, t)
        second = eager.autograd.grad(total, [ts[i] for i in positions], allow_unused=True)
        for i, h in zip(positions, second, strict=True):
            if h is not None:
                hvp[i] = h.numpy()

    eps = 1e-5

    def shifted(sign):
        values = [a + sign * eps * vs[i] if i in positions else a for i, a in enumerate(flat)]
        return {i: (np.zeros_like(flat[i]) if g is None else g.numpy())
                for i, g in zip(positions, first(values, create_graph=False)[1], strict=True)}

    plus, minus = shifted(1), shifted(-1)
    for i in positions:
        numeric = (plus[i] - minus[i]) / (2 * eps)
        np.testing.assert_allclose(hvp[i], numeric, rtol=1e-4, atol=1e-5,
                                   err_msg=f"{c.op}: Hessian-vector product for input {i}")


def test_stats_lists_every_op_once():
    from shared_ops import stats

    n_prim = len(shared_ops.primitives())
    assert stats.summary().splitlines()[0] == (
        f"{len(OPS)} ops: {n_prim} primitives, {len(OPS) - n_prim} composites")
    listed = [op.name for members in stats.families().values() for op in members]
    assert sorted(listed) == sorted(OPS)
    assert "matmul" in [op.name for op in stats.families()["linalg"]]


@pytest.mark.parametrize("c", CASES, ids=case_id)
def test_static_graph_matches_arrays(c):
    """The case staged into a static graph, inputs fed through placeholders whose first dim
    is unknown (unless it is 1: see `abstract_eval`), gives the same outputs and (symbolic)
    gradients as the arrays."""
    static = pytest.importorskip("static")
    if not stages(c):
        pytest.skip("static graphs refuse complex values")
    op = OPS[c.op]
    flat, rebuild = flat_inputs(op, c.args)
    with static.Graph() as graph:
        nodes = [static.placeholder((None,) + a.shape[1:] if i == 0 and a.ndim and
                                    a.shape[0] != 1 else a.shape,
                                    dtype=a.dtype) if isinstance(a, np.ndarray) else a
                 for i, a in enumerate(flat)]
        staged = outputs_abstract(op(*rebuild(nodes), **c.attrs))
        want = outputs(op(*c.args, **c.attrs))
        positions = diff_positions(op, flat) if c.grad and differentiable(c) else []
        gs = cotangents(want, seed=13)
        ys, ygs = graded(staged, gs)
        grads = static.gradients(ys, [nodes[i] for i in positions],
                                 grad_ys=[static.constant(g) for g in ygs]) if positions else []
    feed = {n: a for n, a in zip(nodes, flat, strict=True) if isinstance(a, np.ndarray)}
    got = static.Session(graph).run(list(staged) + [g for g in grads if g is not None], feed)
    for o, w in zip(got[:len(staged)], want, strict=True):
        np.testing.assert_allclose(o, w, rtol=1e-12, atol=0)
    if positions:
        ours = our_vjp(c, flat, rebuild, gs)
        results = iter(got[len(staged):])
        for i, g in zip(positions, grads, strict=True):
            sg = np.zeros_like(flat[i]) if g is None else next(results)
            mine = np.zeros_like(flat[i]) if ours[i] is None else ours[i]
            np.testing.assert_allclose(sg, mine, rtol=1e-10, atol=1e-12,
                                       err_msg=f"{c.op}: static gradient of input {i}")

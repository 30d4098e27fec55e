"""PyTorch's tensor ops of issue 16 where the registry walk cannot look: gradients at the
kinks PyTorch defines (a zero norm, tied values, x on a clamp bound, min == max), the errors
PyTorch raises, unknown sizes in static graphs, the eager tape, and multinomial's draws.

torch is the oracle (pinned in the test extra); the library never imports it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import shared_ops as so
from shared_ops import DTypeError, GradientError, OpIndexError, OpValueError, ShapeError

torch = pytest.importorskip("torch")
eager = pytest.importorskip("eager")
static = pytest.importorskip("static")


def _grads(fn, torch_fn, *arrays, seed=0):
    """Our gradients (eager tape) and torch's of sum(g * fn(*arrays)) for the float inputs."""
    ours = [eager.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, tout = fn(*ours), torch_fn(*theirs)
    g = np.random.default_rng(seed).standard_normal(tuple(tout.shape))
    got = eager.autograd.grad(out, ours, grad_outputs=eager.tensor(g), allow_unused=True)
    want = torch.autograd.grad(tout, theirs, grad_outputs=torch.tensor(g), allow_unused=True)
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-12)
    for a, w in zip(got, want, strict=True):
        a = 0.0 if a is None else a.numpy()
        w = 0.0 if w is None else w.numpy()
        np.testing.assert_allclose(a, w, rtol=1e-12, atol=1e-15)


# --- gradients at the kinks, as PyTorch defines them -----------------------------------------
@pytest.mark.parametrize("p", [2, 1, math.inf, -math.inf, 3, 1.5, 0.5, -1, 0])
def test_vector_norm_gradient_at_a_zero_norm_is_pytorchs(p):
    x = np.array([[0.0, 0.0, 0.0], [3.0, 0.0, -4.0], [2.0, -2.0, 1.0]])
    _grads(lambda t: so.vector_norm(t, ord=p, dim=1),
           lambda t: torch.linalg.vector_norm(t, p, dim=1), x)


def test_norms_of_zeros_have_zero_gradient():
    z = np.zeros((2, 3))
    _grads(lambda t: so.norm(t), lambda t: torch.norm(t), z)
    _grads(lambda t: so.linalg_norm(t, "fro"), lambda t: torch.linalg.norm(t, "fro"), z)
    _grads(lambda t: so.linalg_norm(t, 1), lambda t: torch.linalg.norm(t, 1), z)


def test_inf_norm_ties_share_the_gradient():
    x = np.array([[0.0, 2.0, 2.0, -2.0], [1.0, -1.0, 0.5, 1.0]])
    _grads(lambda t: so.vector_norm(t, ord=math.inf, dim=1),
           lambda t: torch.linalg.vector_norm(t, math.inf, dim=1), x)
    _grads(lambda t: so.matrix_norm(t, ord=1), lambda t: torch.linalg.matrix_norm(t, 1),
           np.array([[1.0, 1.0], [1.0, 1.0]]))


def test_clamp_gradients_on_and_between_tensor_bounds():
    x = np.array([1.0, 2.0, 3.0, 4.0, 0.5, 5.0])
    lo = np.array([2.0, 2.0, 3.5, 1.0, 1.0, 6.0])   # x on lo, x below, ...
    hi = np.array([2.0, 2.0, 3.0, 4.0, 0.0, 5.5])   # min == max, min > max, x on hi
    _grads(lambda a, b, c: so.clip(a, b, c), lambda a, b, c: torch.clamp(a, b, c), x, lo, hi)
    _grads(lambda a, b: so.clip(a, b), lambda a, b: torch.clamp(a, b), x, lo)
    _grads(lambda a, c: so.clip(a, None, c), lambda a, c: torch.clamp(a, None, c), x, hi)


def test_clamp_scalar_bounds_pass_gradient_on_the_bound():
    x = np.array([0.0, 0.5, 1.0, 2.0])
    _grads(lambda a: so.clamp(a, 0.0, 1.0), lambda a: torch.clamp(a, 0.0, 1.0), x)


def test_stable_sort_ties_route_gradients_as_pytorch():
    x = np.array([[3.0, 1.0, 3.0, 2.0, 3.0], [0.0, 0.0, 0.0, -1.0, 0.0]])
    for descending in (False, True):
        _grads(lambda t, d=descending: so.sort(t, dim=1, descending=d, stable=True)[0],
               lambda t, d=descending: torch.sort(t, dim=1, descending=d, stable=True)[0], x)


def test_topk_ties_give_pytorchs_values_and_stable_indices():
    x = torch.tensor([3.0, 1.0, 3.0, 2.0, 3.0, 1.0])
    values, indices = so.topk(x.numpy(), 3)
    np.testing.assert_array_equal(values, torch.topk(x, 3).values.numpy())
    np.testing.assert_array_equal(indices, [0, 2, 4])  # PyTorch's CPU order: [2, 4, 0]


def test_prod_and_cumprod_with_zeros_match_pytorch_to_second_order():
    x = np.array([[2.0, 0.0, 4.0, 0.5], [0.0, 0.0, 3.0, 1.5], [1.5, 2.0, -3.0, 0.75]])
    for fn, tfn in [(lambda t: so.prod(t, dim=1), lambda t: torch.prod(t, 1)),
                    (lambda t: so.cumprod(t, dim=1), lambda t: torch.cumprod(t, 1))]:
        ours = eager.tensor(x, requires_grad=True)
        theirs = torch.tensor(x, requires_grad=True)
        (g1,) = eager.autograd.grad(so.sum(fn(ours) ** 2), [ours], create_graph=True)
        (t1,) = torch.autograd.grad((tfn(theirs) ** 2).sum(), [theirs], create_graph=True)
        np.testing.assert_allclose(g1.detach().numpy(), t1.detach().numpy(), rtol=1e-12)
        (g2,) = eager.autograd.grad(so.sum(g1 * g1), [ours])
        (t2,) = torch.autograd.grad((t1 * t1).sum(), [theirs])
        np.testing.assert_allclose(g2.numpy(), t2.numpy(), rtol=1e-10, atol=1e-12)


def test_einsum_diagonal_and_broadcast_gradients_match_pytorch():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2, 2, 3)), rng.standard_normal((1, 3, 4))
    _grads(lambda x, y: so.einsum("iij,bjk->bik", x, y),
           lambda x, y: torch.einsum("iij,bjk->bik", x, y), a, b)
    _grads(lambda x: so.einsum("...ii->...i", x), lambda x: torch.einsum("...ii->...i", x),
           rng.standard_normal((2, 3, 3)))


# --- errors PyTorch raises, with our error types ---------------------------------------------
@pytest.mark.parametrize("call, error, words", [
    (lambda: so.bitwise_and(np.ones(2), np.ones(2)), DTypeError, "bool and integer"),
    (lambda: so.bitwise_not(np.ones(2, np.float32)), DTypeError, "bool and integer"),
    (lambda: so.bitwise_or(np.array([3]), 1.5), DTypeError, "float32"),
    (lambda: so.floor_divide(np.array([1]), 0), OpValueError, "division by zero"),
    (lambda: so.remainder(np.array([1, 2]), np.array([1, 0])), OpValueError, "division by zero"),
    (lambda: so.floor_divide(np.array([True]), np.array([True])), DTypeError, "bool"),
    (lambda: so.gather(np.ones((3, 4)), 1, np.array([[4]])), OpIndexError, "out of bounds"),
    (lambda: so.gather(np.ones((3, 4)), 1, np.array([[-1]])), OpIndexError, "out of bounds"),
    (lambda: so.gather(np.ones((3, 4)), 1, np.zeros((4, 1), np.int64)), ShapeError,
     "no larger"),
    (lambda: so.scatter(np.ones((2, 2)), 1, np.array([[0]]), np.ones((1, 1), np.float32)),
     DTypeError, "input's dtype"),
    (lambda: so.scatter(np.ones(2), 0, np.array([0]), reduce="max", value=1.0), OpValueError,
     "reduce"),
    (lambda: so.index_select(np.ones((2, 2)), 0, np.array([[0]])), ShapeError, "vector"),
    (lambda: so.topk(np.ones(3), 4), OpIndexError, "out of range"),
    (lambda: so.narrow(np.ones(4), 0, 3, 2), OpIndexError, "exceeds"),
    (lambda: so.narrow(np.ones(4), 0, -5, 1), OpIndexError, "out of range"),
    (lambda: so.masked_fill(np.ones(2), np.array([1, 0]), 0.0), DTypeError, "bool"),
    (lambda: so.masked_fill(np.ones(2), np.array([True, False]), np.ones(1)), ShapeError,
     "0-d"),
    (lambda: so.vector_norm(np.array([3, 4])), DTypeError, "floating"),
    (lambda: so.vector_norm(np.zeros(0), ord=math.inf), OpValueError, "empty"),
    (lambda: so.matrix_norm(np.ones((2, 2)), ord="spectral"), OpValueError, "ord must be"),
    (lambda: so.linalg_norm(np.ones((2, 2, 2)), 1), ShapeError, "1-d or 2-d"),
    (lambda: so.einsum("ij,jk", np.ones((2, 3))), OpValueError, "names 2 operands"),
    (lambda: so.einsum("i1", np.ones((2, 2))), OpValueError, "letters"),
    (lambda: so.einsum("ij->ii", np.ones((2, 2))), ShapeError, "once"),
    (lambda: so.einsum("ij,jk", np.ones((2, 3)), np.ones((2, 4))), ShapeError, "sizes"),
    (lambda: so.einsum("ii->i", np.ones((2, 3))), ShapeError, "repeated"),
    (lambda: so.tril(np.ones(3)), ShapeError, "at least 2 dims"),
    (lambda: so.flip(np.ones((2, 2)), dims=(0, 0)), OpIndexError, "repeats"),
    (lambda: so.repeat(np.ones((2, 2)), 2), OpValueError, "at least one per dim"),
    (lambda: so.repeat_interleave(np.ones(2), np.array([1, -1])), OpValueError, "non-negative"),
    (lambda: so.repeat_interleave(np.ones(3), np.array([1, 2])), ShapeError, "one count"),
    (lambda: so.multinomial(np.array([0.2, 0.8]), 3, seed=0), OpValueError, "without"),
    (lambda: so.multinomial(np.array([-1.0, 1.0]), 1, seed=0), OpValueError, "non-negative"),
    (lambda: so.multinomial(np.zeros((2, 2)), 1, seed=0), OpValueError, "sums to 0"),
    (lambda: so.multinomial(np.array([1, 2]), 1, seed=0), DTypeError, "floating"),
    (lambda: so.multinomial(np.ones((2, 2, 2)), 1, seed=0), ShapeError, "1-d or 2-d"),
    (lambda: so.multinomial(np.ones(2), 1), OpValueError, "seed"),
    (lambda: so.cumsum(np.ones(2), dim=1), OpIndexError, "out of range"),
])
def test_errors_name_the_op_and_say_what_pytorch_says(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_scatter_multiply_has_no_gradient():
    x = eager.tensor(np.ones((2, 2)), requires_grad=True)
    out = so.scatter(x, 1, eager.tensor(np.array([[0], [1]])), eager.tensor(np.ones((2, 1)) * 2),
                     reduce="multiply")
    with pytest.raises(GradientError, match="multiply"):
        so.sum(out).backward()


# --- static graphs: sizes known only at run time ----------------------------------------------
def test_value_sized_outputs_have_unknown_dims_while_building():
    with static.Graph():
        x = static.placeholder((None, 3), dtype="float32", name="x")
        reps = static.placeholder((3,), dtype="int64", name="reps")
        assert so.nonzero(x).shape == (None, 2)
        assert [t.shape for t in so.nonzero(x, as_tuple=True)] == [(None,), (None,)]
        values, inverse, counts = so.unique(x, return_inverse=True, return_counts=True)
        assert (values.shape, inverse.shape, counts.shape) == ((None,), (None, 3), (None,))
        assert so.unique(x, dim=1).shape == (None, None)
        assert so.repeat_interleave(x, reps, dim=1).shape == (None, None)
        assert so.repeat_interleave(x, reps, dim=1, output_size=7).shape == (None, 7)
        assert so.repeat_interleave(x, 2, dim=1).shape == (None, 6)
        assert so.topk(x, 2)[0].shape == (None, 2)
        assert so.einsum("...j,jk->...k", x, np.ones((3, 4), np.float32)).shape == (None, 4)
        assert so.narrow(x, 1, 1, 2).shape == (None, 2)
        assert so.narrow(x, 0, -2, 1).shape == (None, 3)  # a slice of an unknown size


def test_a_static_graph_runs_every_size_with_gradients():
    def model(x, w):
        values, _ = so.sort(so.einsum("bi,ij->bj", x, w), dim=1, descending=True)
        kept = so.cumsum(so.masked_fill(values, so.gt(values, 1.0), 1.0), dim=1)
        picked = so.gather(kept, 1, so.topk_indices(kept, k=2, dim=1))
        return so.sum(so.vector_norm(picked, dim=1) + so.prod(so.flip(x, dims=(1,)), dim=1))

    rng = np.random.default_rng(5)
    w_value = rng.standard_normal((3, 4))
    with static.Graph() as graph:
        x = static.placeholder((None, 3), dtype="float64", name="x")
        w = static.variable(w_value, name="w")
        loss = model(x, w)
        grads = static.gradients(loss, [x, w])
    sess = static.Session(graph)
    for n in (1, 4, 7):
        xv = rng.standard_normal((n, 3))
        got = sess.run([loss] + grads, {x: xv})
        xt, wt = eager.tensor(xv, requires_grad=True), eager.tensor(w_value, requires_grad=True)
        want_loss = model(xt, wt)
        want = eager.autograd.grad(want_loss, [xt, wt])
        np.testing.assert_allclose(got[0], want_loss.detach().numpy(), rtol=1e-12)
        for g, e in zip(got[1:], want, strict=True):
            np.testing.assert_allclose(g, e.numpy(), rtol=1e-10, atol=1e-12)


def test_nonzero_in_a_static_graph_counts_at_run_time():
    with static.Graph() as graph:
        x = static.placeholder((None,), dtype="float32", name="x")
        rows = so.nonzero(x)
        values = so.unique(x)
    sess = static.Session(graph)
    for data in ([0.0, 1.0, 0.0, 2.0], [3.0, 3.0]):
        got_rows, got_values = sess.run([rows, values], {x: np.array(data, np.float32)})
        np.testing.assert_array_equal(got_rows, np.argwhere(np.array(data)))
        np.testing.assert_array_equal(got_values, np.unique(data))


# --- multinomial ---------------------------------------------------------------------------------
def test_multinomial_frequencies_follow_the_probabilities():
    p = np.array([0.1, 0.0, 0.6, 0.3])
    draws = so.multinomial(np.tile(p, (2000, 1)), 5, replacement=True, seed=1)
    freq = np.bincount(draws.reshape(-1), minlength=4) / draws.size
    np.testing.assert_allclose(freq, p, atol=0.01)
    first = so.multinomial(np.tile(p, (4000, 1)), 1, seed=2)[:, 0]
    np.testing.assert_allclose(np.bincount(first, minlength=4) / first.size, p, atol=0.02)


def test_multinomial_without_replacement_never_repeats_and_zero_comes_last():
    draws = so.multinomial(np.tile([0.0, 0.8, 0.1, 0.1], (500, 1)), 4, seed=3)
    assert all(len(set(row)) == 4 for row in draws.tolist())
    assert (draws[:, 3] == 0).all()  # PyTorch: [2, 1, 0]-style, the zero-probability one last


def test_multinomial_seed_sources():
    p = np.array([0.25, 0.25, 0.5])
    a = so.multinomial(p, 8, replacement=True, generator=np.random.default_rng(4))
    b = so.multinomial(p, 8, replacement=True, generator=np.random.default_rng(4))
    np.testing.assert_array_equal(a, b)
    pytest.importorskip("eager.nn")  # registers eager's seed source (its global generator)
    eager.manual_seed(7)
    first = so.multinomial(eager.tensor(p), 8, replacement=True).numpy()
    second = so.multinomial(eager.tensor(p), 8, replacement=True).numpy()
    eager.manual_seed(7)
    np.testing.assert_array_equal(so.multinomial(eager.tensor(p), 8, replacement=True).numpy(),
                                  first)
    assert not np.array_equal(first, second)  # a fresh seed per call
    with static.Graph() as graph:
        x = static.placeholder((3,), dtype="float64", name="p")
        draw = so.multinomial(x, 16, replacement=True)
    sess = static.Session(graph)
    steps = [sess.run(draw, {x: p}) for _ in range(2)]
    assert not np.array_equal(*steps)  # the static seed advances every step

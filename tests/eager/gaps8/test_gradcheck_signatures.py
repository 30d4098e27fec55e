"""``gradcheck``/``gradgradcheck`` with torch 2.13's signatures: gradgradcheck draws its
grad_outputs as torch does (the random stream after it is torch's) and takes
``grad_outputs=``; errors, warnings and verdicts as torch's."""

import inspect
import warnings

import numpy as np
import pytest

import eager
from eager.autograd.gradcheck import GradcheckError

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["gradcheck", "gradgradcheck"])
def test_signatures_are_torchs(name):
    ours = inspect.signature(getattr(eager.autograd, name))
    theirs = inspect.signature(getattr(torch.autograd, name))
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()]


def _session(lib):
    """Checks in a row, each followed by a draw: every verdict and draw, in order."""
    lib.manual_seed(0)
    x = lib.randn(3, dtype=lib.float64, requires_grad=True)
    y = lib.randn(2, 2, dtype=lib.float64, requires_grad=True)
    seen = [lib.autograd.gradgradcheck(lib.tanh, (x,)), lib.rand(1).item()]
    seen += [lib.autograd.gradgradcheck(lambda a, b: (a * b.sum(), (a ** 2).sum()), (x, y)),
             lib.rand(2).tolist()]
    ones = lib.ones(3, dtype=lib.float64)
    seen += [lib.autograd.gradgradcheck(lib.sin, (x,), grad_outputs=(ones,)), lib.rand(1).item()]
    seen += [lib.autograd.gradgradcheck(lib.sin, (x,), ones.clone().requires_grad_()),
             lib.rand(1).item()]
    seen += [lib.autograd.gradcheck(lib.sin, x, check_grad_dtypes=True, nondet_tol=0.0),
             lib.autograd.gradcheck(lambda t: t.detach() * 2 + t, (x,),
                                    raise_exception=False)]
    return seen


def test_gradgradcheck_draws_torchs_grad_outputs():
    assert _session(eager) == _session(torch)


def _failure(lib):
    x = lib.tensor([0.5, 1.0], dtype=lib.float64, requires_grad=True)
    with pytest.raises(RuntimeError) as caught:
        lib.autograd.gradcheck(lambda t: (t.sum() * 2, t.detach() * 2 + t), (x,))
    return type(caught.value).__name__, str(caught.value)


def test_a_mismatch_is_torchs_gradcheck_error():
    assert _failure(eager) == _failure(torch)
    assert issubclass(GradcheckError, RuntimeError)


def test_refusals_and_warnings_as_torch():
    for lib in (eager, torch):
        with pytest.raises(ValueError, match="^gradcheck expects at least one input tensor"):
            lib.autograd.gradcheck(lambda t: t * 2, (lib.ones(2),))
    messages = []
    for lib in (eager, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert lib.autograd.gradcheck(lambda t: t * 2, (lib.ones(2, requires_grad=True),),
                                          raise_exception=False) in (True, False)
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and messages[0]


def test_second_derivative_mismatch_is_found():
    # A tensor hook that detaches the gradient: first derivatives right, second ones lost.
    def cube(t):
        moved = t * 1.0
        moved.register_hook(lambda g: g.detach())
        return moved ** 3

    x = eager.tensor(np.array([0.5, -1.5]), requires_grad=True)
    assert eager.autograd.gradcheck(cube, (x,))
    assert not eager.autograd.gradgradcheck(cube, (x,), raise_exception=False)

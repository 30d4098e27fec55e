"""Version checks around in-place writes (through views or not) raise exactly where
PyTorch's do: only for values a backward reads, with PyTorch's message; and PyTorch's
refusals of in-place ops on some views, with its text."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import eager


def _outcome(lib, program):
    """("ok", gradient) or ("error", message) of ``program(lib, x)`` for a fresh leaf x."""
    x = lib.tensor(np.random.default_rng(1).standard_normal((3, 4)), dtype=lib.float64,
                   requires_grad=True)
    try:
        program(lib, x)
    except RuntimeError as e:
        return "error", str(e).splitlines()[0]
    return "ok", x.grad.numpy()


def _unary_input(name):
    def program(lib, x):
        y = x * 1
        z = getattr(y, name)()
        y.add_(1)  # the input changed: PyTorch's relu, sigmoid and exp save their output
        z.sum().backward()
    return program


def _index_then_write(lib, x):  # x[idx] -= 1: index saves no value of its input
    y = x * 2
    z = y[lib.tensor([0, 2])]
    y[lib.tensor([0])] -= 1
    (z.sum() + y.sum()).backward()


def _add_then_write(lib, x):
    y = x * 1
    z = y + 1
    y.mul_(2)  # z's gradient must still reach x through y's *old* value
    (z.sum() + y.sum()).backward()


def _mul_by_constant_then_write(lib, x):
    y = x * 1
    z = y * 2
    y.add_(1)
    z.sum().backward()


def _mul_by_itself_then_write(lib, x):
    y = x * 1
    z = y * y
    y.add_(1)
    z.sum().backward()


def _matmul_constant_then_write(lib, x):
    y = x * 1
    z = y @ lib.ones(4, 2, dtype=lib.float64)
    y.add_(1)
    z.sum().backward()


def _matmul_both_then_write(lib, x):
    y = x * 1
    z = y @ x.t()
    y.add_(1)
    z.sum().backward()


def _copy_slices_input_written(lib, x):  # a value saved after the write, then written again
    y = x * 1
    y[0].mul_(2)
    z = y * y
    y[1].add_(1)
    z.sum().backward()


PROGRAMS = {
    **{f"{n}-input": _unary_input(n) for n in ("relu", "sigmoid", "exp")},
    "index": _index_then_write,
    "add": _add_then_write,
    "mul-constant": _mul_by_constant_then_write,
    "mul-itself": _mul_by_itself_then_write,
    "matmul-constant": _matmul_constant_then_write,
    "matmul-both": _matmul_both_then_write,
    "copy-slices-saved": _copy_slices_input_written,
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_version_errors_as_torch(name):
    want = _outcome(torch, PROGRAMS[name])
    got = _outcome(eager, PROGRAMS[name])
    assert got[0] == want[0], (got, want)
    if want[0] == "error":
        assert got[1] == want[1]
    else:
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12)


def _custom_view(lib):
    class Flat(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)

        @staticmethod
        def backward(ctx, g):
            return g.view(4, 2)

    return Flat


def _views_refused(lib):
    x = lib.ones(4, 2, requires_grad=True)
    y = x * 1
    with lib.no_grad():
        of_y, of_z = y[:2], lib.zeros(4, 2)[:2]
    return {
        "no_grad view mul_": lambda: of_y.mul_(2),
        "no_grad view fill_": lambda: of_y.fill_(0),
        "no_grad view, operand with grad": lambda: of_z.add_(x[:2]),
        "custom Function view": lambda: _custom_view(lib).apply(y).mul_(2),
        "leaf view": lambda: x[0].mul_(2),
        "leaf view setitem": lambda: x.__setitem__(1, 5.0),
        "unbind": lambda: y.unbind(0)[1].mul_(2),
        "split": lambda: y.split(2)[1].add_(1),
        "chunk": lambda: y.chunk(2)[0].add_(1),
    }


@pytest.mark.parametrize("case", list(_views_refused(torch)))
def test_refusals_as_torch(case):
    messages = []
    for lib in (torch, eager):
        with pytest.raises(RuntimeError) as info:
            _views_refused(lib)[case]()
        messages.append(str(info.value))
    assert messages[1] == messages[0]


def test_a_view_with_no_grad_is_written_without_recording():
    for lib in (torch, eager):
        x = lib.ones(3, 2, requires_grad=True)
        y = x * 1
        with lib.no_grad():
            y[0].mul_(5)
        assert type(y.grad_fn).__name__ == "MulBackward0"
        y.sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), np.ones((3, 2)))


def _output_written(name, clone):
    def program(lib, x):
        z = getattr(x * 1, name)()
        w = z * 2
        (z.clone() if clone else z).add_(1)
        w.sum().backward()
    return program


def _exp_written_through_view(clone):
    def program(lib, x):
        y = x.exp()
        y = y.clone() if clone else y
        y[0].mul_(2)
        y.sum().backward()
    return program


KEPT = {**{f"{n}-output": (lambda c, n=n: _output_written(n, c)) for n in
           ("relu", "sigmoid", "exp", "tanh")},
        "exp-view-written": _exp_written_through_view}


@pytest.mark.parametrize("name", KEPT)
def test_an_output_its_rule_reads_is_kept_when_overwritten(name):
    # A deliberate difference: PyTorch raises here (its node saved the output); eager's rules
    # read their outputs where PyTorch's saved inputs (div, mean) too, so the entry keeps a
    # copy of its output instead (view_writes.keep_output): the gradient is the one of the
    # values used, PyTorch's for the same program with the write made on a clone.
    assert _outcome(torch, KEPT[name](False))[0] == "error"
    got = _outcome(eager, KEPT[name](False))
    assert got[0] == "ok", got
    np.testing.assert_allclose(got[1], _outcome(torch, KEPT[name](True))[1], rtol=1e-12)


def test_index_assignment_into_a_view_made_under_no_grad_is_refused():
    # (PyTorch names the select it makes for the key: "Output 0 of Select is a view of a
    # view which was created in no_grad mode..."; eager names the view written)
    for lib in (torch, eager):
        y = lib.ones(3, requires_grad=True) * 1
        with lib.no_grad():
            view = y[:2]
        with pytest.raises(RuntimeError, match="created in no_grad mode and is being modified "
                                               "inplace with grad mode enabled"):
            view[0] = 5.0

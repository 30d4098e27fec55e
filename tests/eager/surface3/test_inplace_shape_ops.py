"""In-place shape methods (unsqueeze_, squeeze_, t_, transpose_, swapdims_/swapaxes_,
resize_, resize_as_) against torch: shapes, values, version counters, errors, and autograd
(leaves refused, recorded tensors rebased onto the view op)."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

DATA = np.arange(24.0, dtype=np.float32).reshape(1, 2, 3, 4)

CALLS = {
    "unsqueeze_": [(0,), (-1,), (2,)],
    "squeeze_": [(), (0,), (-4,), ((0, 2),), (1,)],
    "transpose_": [(0, 3), (-1, 1)],
    "swapdims_": [(1, 2)],
    "swapaxes_": [(0, -1)],
    "resize_": [(24,), ((2, 12),), (5,), (2, 3, 5)],
}


def _run(lib, name, args, data=DATA):
    x = lib.tensor(data)
    out = getattr(x, name)(*args)
    assert out is x
    size = int(np.prod(x.shape))  # resize_'s grown elements are unspecified in torch
    return list(x.shape), x.reshape(-1)[:min(size, data.size)].tolist(), x._version


@pytest.mark.parametrize("name,args", [(n, a) for n, calls in CALLS.items() for a in calls])
def test_shape_value_and_version_match_torch(name, args):
    assert _run(eager, name, args) == _run(torch, name, args)


@pytest.mark.parametrize("shape", [(2, 3), (3,), ()])
def test_t_(shape):
    data = np.arange(float(np.prod(shape)), dtype=np.float32).reshape(shape)
    assert _run(eager, "t_", (), data) == _run(torch, "t_", (), data)


def test_resize_as_():
    def run(lib):
        x = lib.tensor(DATA)
        x.resize_as_(lib.ones(3, 2))
        return list(x.shape), x.tolist()

    assert run(eager) == run(torch)


@pytest.mark.parametrize("call", [
    lambda L: L.ones(2, 3, 4).t_(),
    lambda L: L.ones(2, 3).unsqueeze_(5),
    lambda L: L.ones(2, 3).squeeze_(4),
    lambda L: L.ones(2, 3).resize_(2.0),
    lambda L: L.ones(2, requires_grad=True).unsqueeze_(0),
    lambda L: L.ones(2, 3, requires_grad=True).transpose_(0, 1),
    lambda L: L.ones(2, requires_grad=True).resize_(1),
    lambda L: (L.ones(2, requires_grad=True) * 2).resize_(2),
], ids=["t_-3d", "unsqueeze_-range", "squeeze_-range", "resize_-float", "leaf-unsqueeze_",
        "leaf-transpose_", "leaf-resize_", "recorded-resize_"])
def test_errors_have_torchs_types(call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(eager)
    if isinstance(theirs.value, RuntimeError | TypeError):
        assert str(ours.value) == str(theirs.value)


def _chain(lib):
    x = lib.arange(6.0, requires_grad=True)
    y = x * 2
    y.unsqueeze_(0).squeeze_(0).unsqueeze_(1)
    y.add_(1)  # a later in-place write: the Mul's output was not needed
    (y ** 2 * lib.arange(6.0).reshape(6, 1)).sum().backward()
    return list(y.shape), x.grad.tolist(), y.is_leaf


def _view_of_recorded(lib):
    x = lib.arange(6.0, requires_grad=True)
    v = (x * 2).view(2, 3)[0]
    v.t_()
    v.unsqueeze_(0)
    (v * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
    return list(v.shape), x.grad.tolist()


def _transposed_grad(lib):
    x = lib.ones(2, 3, requires_grad=True)
    y = x.exp()
    y.transpose_(0, 1)
    (y * lib.arange(6.0).reshape(3, 2)).sum().backward()
    return x.grad.tolist()


@pytest.mark.parametrize("program", [_chain, _view_of_recorded])
def test_recorded_tensors_are_rebased_as_torch(program):
    assert program(eager) == program(torch)


@pytest.mark.parametrize("call", [lambda x: x.squeeze_(), lambda x: x.squeeze_(0),
                                  lambda x: x.squeeze_((0, 2)), lambda x: x.unsqueeze_(1),
                                  lambda x: x.transpose_(0, 1), lambda x: x.swapaxes_(2, 0),
                                  lambda x: x[0].t_()],
                         ids=["squeeze_", "squeeze_-dim", "squeeze_-dims", "unsqueeze_",
                              "transpose_", "swapaxes_", "t_"])
def test_grad_fn_names_are_torchs_in_place_ones(call):
    def run(lib):
        x = lib.ones(1, 2, 1, requires_grad=True) * 1
        y = call(x)
        return type(y.grad_fn).__name__

    assert run(eager) == run(torch)


def test_rebased_history_differentiates_the_new_shape():
    # torch refuses this one (Exp saved its output, whose version the in-place op bumped);
    # eager keeps the producer's output and differentiates it: checked against out of place.
    ref = eager.ones(2, 3, requires_grad=True)
    (ref.exp().transpose(0, 1) * eager.arange(6.0).reshape(3, 2)).sum().backward()
    assert _transposed_grad(eager) == ref.grad.tolist()


def test_no_grad_changes_a_leaf_in_place():
    def run(lib):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            x.unsqueeze_(0)
        return list(x.shape), x.requires_grad, x.is_leaf, x._version

    assert run(eager) == run(torch)


@pytest.mark.parametrize("view", [lambda a: a.t(), lambda a: a[1:], lambda a: a[:, 1:],
                                  lambda a: a[1], lambda a: a.t()[1:]],
                         ids=["transposed", "rows", "columns", "row", "transposed-rows"])
def test_resize_of_a_view_reads_its_storage_in_order(view):
    def run(lib):
        return view(lib.arange(12.0).reshape(3, 4)).resize_(2, 2).tolist()

    assert run(eager) == run(torch)


def test_resize_keeps_memory_when_shrinking():
    x = eager.arange(6.0)
    alias = x.view(2, 3)
    x.resize_(2)
    x.add_(10)
    assert alias.tolist() == [[10.0, 11.0, 2.0], [3.0, 4.0, 5.0]]


def _custom_function(lib):
    class Double(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = lib.arange(6.0, requires_grad=True)
    y = Double.apply(x)
    y.unsqueeze_(0)
    values, _ = (x * 3).sort(descending=True)  # several outputs, not views: allowed
    values.unsqueeze_(1)
    (y.sum() + (values * lib.arange(6.0).reshape(6, 1)).sum()).backward()
    return x.grad.tolist(), type(y.grad_fn).__name__, type(values.grad_fn).__name__


def test_outputs_of_functions_and_shared_nodes_are_rebased_as_torch():
    assert _custom_function(eager) == _custom_function(torch)


@pytest.mark.parametrize("views", [lambda x: x.split([2, 4]), lambda x: x.split(3),
                                   lambda x: x.chunk(2), lambda x: x.unbind(0)],
                         ids=["split-sizes", "split", "chunk", "unbind"])
def test_outputs_of_multi_view_functions_are_refused_as_torch(views):
    def run(lib):
        x = lib.arange(6.0, requires_grad=True)
        with pytest.raises(RuntimeError) as error:
            views(x * 3)[1].unsqueeze_(0)
        with lib.no_grad():
            views(x * 3)[1].unsqueeze_(0)  # nothing recorded: allowed
        return str(error.value)

    assert run(eager) == run(torch)

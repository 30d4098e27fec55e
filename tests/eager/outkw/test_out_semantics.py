"""What ``out=`` does besides the values, against torch: the same object returned, resizing and
its warning, views written through, the version counter, autograd's refusal, tuple outs and
their result type, factories taking ``out``'s dtype, reductions computing in it."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

RESIZED = (r"An output with one or more elements was resized since it had shape \[2\], which "
           r"does not match the required output shape \[3\]\. This behavior is deprecated")


def both(fn):
    """``fn`` run on each library: (eager's result, torch's result)."""
    return fn(eager), fn(torch)


def error_of(fn, library):
    with pytest.raises(Exception) as info:  # noqa: PT011 -- the two are compared below
        fn(library)
    return type(info.value).__name__, str(info.value).split(" (Triggered internally")[0]


def same_error(fn):
    ours, theirs = error_of(fn, eager), error_of(fn, torch)
    assert ours == theirs


def test_the_result_is_out_itself_with_the_values():
    for L in (eager, torch):
        out = L.empty(3)
        result = L.add(L.tensor([1.0, 2.0, 3.0]), 1, alpha=2, out=out)
        assert result is out
        assert out.tolist() == [3.0, 4.0, 5.0]


def test_an_out_with_elements_is_resized_with_torchs_warning():
    for L in (eager, torch):
        out = L.empty(2)
        with pytest.warns(UserWarning, match=RESIZED):
            L.mul(L.tensor([1.0, 2.0, 3.0]), 2, out=out)
        assert tuple(out.shape) == (3,) and out.tolist() == [2.0, 4.0, 6.0]


def test_an_empty_out_is_resized_silently():
    ours, theirs = both(lambda L: L.cat([L.ones(2, 2), L.zeros(1, 2)], out=L.empty(0)))
    assert ours.tolist() == theirs.tolist() and tuple(ours.shape) == (3, 2)


def test_a_view_as_out_writes_through_to_its_base():
    for L in (eager, torch):
        base = L.zeros(4)
        L.add(L.tensor([1.0, 2.0]), 1, out=base[::2])
        assert base.tolist() == [2.0, 0.0, 3.0, 0.0]
        matrix = L.zeros(2, 3)
        L.exp(L.zeros(3), out=matrix[1])
        assert matrix.tolist() == [[0.0] * 3, [1.0] * 3]


def test_writing_bumps_the_version_once():
    for L in (eager, torch):
        for size in (3, 2, 0):  # same shape, resized with a warning, resized silently
            out = L.empty(size)
            before = out._version
            with pytest.warns(UserWarning) if size == 2 else _nothing():
                L.sub(L.tensor([1.0, 2.0, 3.0]), 1, out=out)
            assert out._version == before + 1, (L.__name__, size)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def test_out_aliasing_an_input_gives_the_full_result():
    ours, theirs = both(lambda L: (lambda x: L.add(x, x.flip(0), out=x))(L.arange(4.0)))
    assert ours.tolist() == theirs.tolist() == [3.0, 3.0, 3.0, 3.0]


def test_autograd_refuses_out_when_an_argument_requires_grad():
    same_error(lambda L: L.add(L.ones(2, requires_grad=True), 1, out=L.empty(2)))
    same_error(lambda L: L.exp(L.ones(2), out=L.empty(2, requires_grad=True)))
    same_error(lambda L: L.cat([L.ones(2), L.ones(2, requires_grad=True)], out=L.empty(4)))
    same_error(lambda L: L.max(L.ones(2, 2, requires_grad=True), 1,
                               out=(L.empty(0), L.empty(0, dtype=L.int64))))
    same_error(lambda L: L.multiply(L.ones(2, requires_grad=True), 2, out=L.empty(2)))


def test_without_grad_mode_out_may_require_grad_and_keeps_it():
    for L in (eager, torch):
        with L.no_grad():
            out = L.empty(1, requires_grad=True)
            with pytest.warns(UserWarning, match="resized"):
                L.add(L.ones(2, requires_grad=True), 1, out=out)
        assert out.requires_grad and out.grad_fn is None and out.tolist() == [2.0, 2.0]


def test_dtype_rules():
    same_error(lambda L: L.add(L.ones(2), 1, out=L.empty(2, dtype=L.int64)))  # no downcast
    same_error(lambda L: L.mm(L.ones(2, 2), L.ones(2, 2), out=L.empty(0, dtype=L.float64)))
    ours, theirs = both(lambda L: L.add(L.ones(2, dtype=L.int64), 1, out=L.empty(2)))
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)
    ours, theirs = both(lambda L: L.eq(L.ones(2), 1, out=L.empty(2, dtype=L.int64)))
    assert ours.tolist() == theirs.tolist() == [1, 1]


def test_reductions_compute_in_outs_dtype():
    ours, theirs = both(lambda L: L.sum(L.tensor([[1.5, -2.0, 3.0]]), 1,
                                        out=L.empty(0, dtype=L.int64)))
    assert ours.tolist() == theirs.tolist() == [2]
    ours, theirs = both(lambda L: L.cumsum(L.tensor([0.5, 1.5, 2.5]), 0,
                                           out=L.empty(0, dtype=L.int64)))
    assert ours.tolist() == theirs.tolist() == [0, 1, 3]


def test_factories_make_outs_dtype():
    for fn in (lambda L, o: L.zeros(2, 3, out=o), lambda L, o: L.arange(5, out=o),
               lambda L, o: L.full((2,), 1.5, out=o), lambda L, o: L.eye(2, out=o),
               lambda L, o: L.linspace(0, 4, 5, out=o)):
        ours, theirs = (fn(L, L.empty(0, dtype=L.int64)) for L in (eager, torch))
        assert str(ours.dtype) == str(theirs.dtype) == "torch.int64"
        assert ours.tolist() == theirs.tolist()
    same_error(lambda L: L.ones(2, dtype=L.float32, out=L.empty(2, dtype=L.float64)))


def test_random_factories_draw_torchs_numbers_into_out():
    ours, theirs = ((L.manual_seed(0), L.randn(2, 3, out=L.empty(0, dtype=L.float64)))[1]
                    for L in (eager, torch))
    assert str(ours.dtype) == "torch.float64"
    assert ours.numpy() == pytest.approx(theirs.numpy(), rel=1e-6)


def test_tuple_outs_return_torchs_out_type():
    x = [[1.0, 5.0], [7.0, 2.0]]
    for L in (eager, torch):
        values, indices = L.empty(0), L.empty(0, dtype=L.int64)
        result = L.max(L.tensor(x), 1, out=[values, indices])
        assert result.values is values and result.indices is indices
        assert repr(result).startswith("torch.return_types.max_out(")
        assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    ours, theirs = both(lambda L: L.sort(L.tensor([3.0, 1.0, 2.0]), descending=True,
                                         out=(L.empty(3), L.empty(3, dtype=L.int64))))
    assert repr(ours) == repr(theirs)
    same_error(lambda L: L.topk(L.ones(3), 2, out=(L.empty(0),)))
    same_error(lambda L: L.topk(L.ones(3), 2, out=(L.empty(0), L.empty(0))))


def test_out_of_the_wrong_kind():
    same_error(lambda L: L.exp(L.ones(2), out="x"))
    same_error(lambda L: L.exp(L.ones(2), out=(L.empty(0),)))


def test_norm_takes_out_by_position_as_torch_does():
    ours, theirs = both(lambda L: L.norm(L.tensor([3.0, 4.0]), 2, None, False, L.empty(0)))
    assert ours.item() == theirs.item() == 5.0


def test_normalize_writes_into_out_as_torchs():
    x = [[3.0, 4.0], [1.0, 0.0]]
    for L in (eager, torch):
        out = L.empty(2, 2)
        assert L.nn.functional.normalize(L.tensor(x), 2.0, 1, 1e-12, out) is out
        assert out.numpy().ravel().tolist() == pytest.approx([0.6, 0.8, 1.0, 0.0])
    same_error(lambda L: L.nn.functional.normalize(L.tensor(x, requires_grad=True),
                                                   out=L.empty(2, 2)))
    same_error(lambda L: L.nn.functional.normalize(L.tensor(x), out=L.empty(2, 2,
                                                                            dtype=L.int64)))


def test_out_on_arrays_is_refused_clearly():
    with pytest.raises(TypeError, match=r"add\(\): out= takes results computed on eager "
                                        r"Tensors, not a ndarray"):
        eager.add(np.ones(2), 1.0, out=eager.empty(2))

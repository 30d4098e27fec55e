"""The in-place shape methods on static graph values: the Python object stands for the
reshaped value (a view's base keeps its shape, and a later write through the view still
reaches it), compared with torch on the same data; sources and growing resizes refused."""

from __future__ import annotations

import numpy as np
import pytest

import static

torch = pytest.importorskip("torch")

DATA = np.arange(6.0, dtype=np.float32).reshape(2, 3)
PROGRAMS = {
    "t_": lambda x: x.t_(),
    "squeeze_-unsqueeze_": lambda x: x.unsqueeze_(1).squeeze_().unsqueeze_(0),
    "squeeze_-dims": lambda x: x.unsqueeze_(0).unsqueeze_(-1).squeeze_((0, 3)),
    "transpose_-swapaxes_": lambda x: x.transpose_(0, 1).swapaxes_(1, 0).swapdims_(0, 1),
    "resize_-shrink": lambda x: x.resize_(2, 2),
    "resize_as_": lambda x: x.resize_as_(x.new_ones(3, 2)),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_reshaped_values_match_torch(name):
    with static.Graph() as g:
        x = static.placeholder((2, 3), name="x") * 1.0
        y = x.clone()
        assert PROGRAMS[name](y) is y
    (got,) = static.Session(g).run([y], {"x": DATA})
    want = PROGRAMS[name](torch.tensor(DATA).clone())
    np.testing.assert_array_equal(got, want.numpy())


def test_writes_through_a_reshaped_view_reach_the_base():
    with static.Graph() as g:
        base = static.placeholder((2, 3), name="x") * 1.0
        view = base[0]
        view.unsqueeze_(0)
        view.add_(10)
    got = static.Session(g).run([view, base], {"x": DATA})
    t = torch.tensor(DATA).clone()
    tv = t[0]
    tv.unsqueeze_(0).add_(10)
    np.testing.assert_array_equal(got[0], tv.numpy())
    np.testing.assert_array_equal(got[1], t.numpy())


def test_refusals_name_what_to_do():
    with static.Graph():
        x = static.placeholder((2, 3), name="x")
        with pytest.raises(TypeError, match="clone"):
            x.unsqueeze_(0)
        with pytest.raises(TypeError, match="cat"):
            (x * 1.0).resize_(7)
        with pytest.raises(RuntimeError, match=r"t_\(\) expects"):
            (x * 1.0).unsqueeze(0).t_()

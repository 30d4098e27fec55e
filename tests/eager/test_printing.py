"""``print(tensor)`` matches PyTorch: golden strings, and torch's own ``str`` as the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import eager

RNG = np.random.default_rng(0)

# Arrays printed through both libraries (same dtype): the same text, "torch." included.
ARRAYS = {
    "ints": np.array([1, 2, 3, 4, 5]),
    "int-matrix": np.array([[1, -2], [300, 4]]),
    "int32": np.arange(30, dtype=np.int32).reshape(2, 3, 5),
    "bool": np.array([True, False]),
    "float-ints": np.array([2.0, 4.0], np.float32),
    "floats": np.array([1.5, 2.25, -3.0], np.float32),
    "float64": RNG.standard_normal((3, 4)),
    "small-and-large": np.array([1e-5, 1.0, 100.0], np.float32),
    "huge": np.array([1e10, 1.0], np.float32),
    "mixed-magnitude": np.array([123456.789, 0.001], np.float32),
    "zeros": np.zeros(2, np.float32),
    "nan-inf": np.array([np.nan, 1.0, np.inf, -np.inf], np.float32),
    "3d": RNG.standard_normal((2, 3, 4)).astype(np.float32),
    "wrapping-row": (RNG.standard_normal(40) * 1000).astype(np.float32),
    "summarized-1d": np.arange(1100),
    "summarized-2d": np.arange(2000, dtype=np.float32).reshape(40, 50) / 7,
    "summarized-3d": RNG.standard_normal((12, 12, 12)).astype(np.float32),
    "empty-2d": np.zeros((0, 3), np.float32),
    "empty-int": np.zeros(0, np.int64),
    "scalar": np.array(3.5, np.float32),
    "int-scalar": np.array(7),
    "float16": np.array([0.5, 1.0], np.float16),
}


@pytest.mark.parametrize("name", list(ARRAYS))
def test_matches_torch_str(name):
    torch = pytest.importorskip("torch")
    a = ARRAYS[name]
    expected = str(torch.from_numpy(a))
    assert str(eager.from_numpy(a)) == expected


def test_autograd_suffixes_match_torch():
    torch = pytest.importorskip("torch")
    for lib in (eager, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        lib.texts = [str(x), str(x * 2), str(x @ x), str((x * 3).sum()), str(x.exp()),
                     str(x.double()), str(x.detach()), str(x[0]), str(x.view(2, 1))]
    assert eager.texts == torch.texts
    del eager.texts, torch.texts


GOLDEN = [
    (eager.tensor([1, 2, 3, 4, 5]), "tensor([1, 2, 3, 4, 5])"),
    (eager.tensor([4.0]), "tensor([4.])"),
    (eager.tensor([[1.0, 2.5], [3.0, 4.0]]),
     "tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]])"),
    (eager.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
    (eager.tensor([1.0, 2.0], dtype=eager.float64), "tensor([1., 2.], dtype=torch.float64)"),
    (eager.tensor([1.0], requires_grad=True), "tensor([1.], requires_grad=True)"),
    (eager.tensor(2.0, requires_grad=True) * 3, "tensor(6., grad_fn=<MulBackward0>)"),
    (eager.zeros(0, 2), "tensor([], size=(0, 2))"),
    (eager.arange(1001), "tensor([   0,    1,    2,  ...,  998,  999, 1000])"),
    (eager.ones(2, 1, 2, dtype=eager.int32),
     "tensor([[[1, 1]],\n\n        [[1, 1]]], dtype=torch.int32)"),
]


@pytest.mark.parametrize("t, text", GOLDEN, ids=[str(i) for i in range(len(GOLDEN))])
def test_golden(t, text):
    assert repr(t) == text


def test_long_suffixes_wrap_onto_a_new_line():
    t = eager.tensor([1.0] * 16, dtype=eager.float64, requires_grad=True)
    assert repr(t).endswith("1., 1., 1., 1., 1., 1., 1., 1.],\n       dtype=torch.float64, "
                            "requires_grad=True)")


def test_set_printoptions():
    try:
        eager.set_printoptions(precision=2)
        assert repr(eager.tensor([1.12345])) == "tensor([1.12])"
        eager.set_printoptions(threshold=5)
        assert repr(eager.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    finally:
        eager.set_printoptions(profile="default")
    assert repr(eager.tensor([1.12345])) == "tensor([1.1235])"

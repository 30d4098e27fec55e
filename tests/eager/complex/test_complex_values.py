"""Complex tensors against torch: creation, dtypes and promotion, printing, the parts and
views of complex values, arithmetic and reductions, and torch's refusals."""

from __future__ import annotations

import numpy as np
import pytest
from complex_oracle import assert_raises_as_torch

import eager

torch = pytest.importorskip("torch")


def z(L):
    return L.tensor([1 + 2j, 3 - 1j])


def same(ours, theirs) -> None:
    """Equal results: tensors by dtype, shape, printed form and values; anything else by repr."""
    if isinstance(theirs, torch.Tensor):
        theirs = theirs.resolve_conj()
        assert (str(ours.dtype), tuple(ours.shape)) == (str(theirs.dtype), tuple(theirs.shape))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)
        assert repr(ours) == repr(theirs)
    else:
        assert repr(ours) == repr(theirs)


CASES = {
    "literal": lambda L: z(L), "0-d": lambda L: L.tensor(2 + 0j),
    "complex128": lambda L: L.tensor([[1j, 2.5]], dtype=L.complex128),
    "sci": lambda L: L.tensor([1.5 + 2j, -3.25 - 1e-3j]),
    "zeros": lambda L: L.zeros(2, 2, dtype=L.cfloat), "ones": lambda L: L.ones(2, dtype=L.cdouble),
    "full": lambda L: L.full((2,), 1 + 1j), "empty-print": lambda L: L.zeros(0, dtype=L.cfloat),
    "summarized": lambda L: L.ones(2000, dtype=L.cfloat) * (1 - 2j),
    "add-int": lambda L: z(L) + 1, "mul-float": lambda L: z(L) * 2.5,
    "sub-real": lambda L: z(L) - L.tensor([1.0, 2.0]),
    "mul-f64": lambda L: z(L) * L.tensor([1.0, 2.0], dtype=L.float64),
    "f32+1j": lambda L: L.ones(2) + 1j, "f64*1j": lambda L: L.ones(2, dtype=L.float64) * 1j,
    "int*1j": lambda L: L.arange(3) * 1j,
    "f32+c128-0d": lambda L: L.ones(2) + L.tensor(1j, dtype=L.complex128),
    "div": lambda L: z(L) / L.tensor([2j, 1 + 1j]), "neg": lambda L: -z(L),
    "exp": lambda L: z(L).exp(), "log": lambda L: z(L).log(), "sqrt": lambda L: z(L).sqrt(),
    "pow": lambda L: z(L) ** 2, "tanh": lambda L: z(L).tanh(), "sigmoid": lambda L: z(L).sigmoid(),
    "sum": lambda L: z(L).sum(), "mean": lambda L: z(L).mean(), "prod": lambda L: z(L).prod(),
    "matmul": lambda L: L.tensor([[1 + 1j, 2], [0, 1j]]) @ L.tensor([[1.0], [2.0]]).to(L.cfloat),
    "dot": lambda L: z(L) @ z(L), "einsum": lambda L: L.einsum("i,i->", z(L), z(L)),
    "to-cfloat": lambda L: L.ones(2).to(L.cfloat), "to-c128": lambda L: z(L).to(L.complex128),
    "eq": lambda L: z(L) == L.tensor([1 + 2j, 3 + 1j]), "abs": lambda L: z(L).abs(),
    "angle": lambda L: z(L).angle(), "angle-real": lambda L: L.angle(L.tensor([-1.0, 2.0])),
    "angle-int": lambda L: L.angle(L.tensor([-1, 2])),
    "sgn": lambda L: L.sgn(L.tensor([3 + 4j, 0j])),
    "norm": lambda L: z(L).norm(), "vector_norm-1": lambda L: L.linalg.vector_norm(z(L), ord=1),
    "real": lambda L: L.real(z(L)), "imag": lambda L: z(L).imag,
    "real-of-real": lambda L: L.ones(2).real,
    "conj": lambda L: z(L).conj(), "view_as_real": lambda L: L.view_as_real(z(L)),
    "view_as_real-0d": lambda L: L.view_as_real(L.tensor(1 - 1j)),
    "view_as_complex": lambda L: L.view_as_complex(L.tensor([[1.0, 2.0], [3.0, 4.0]])),
    "complex": lambda L: L.complex(L.ones(2), L.tensor([0.5, -1.0])),
    "complex-broadcast": lambda L: L.complex(L.ones(2, 1, dtype=L.float64),
                                             L.zeros(3, dtype=L.float64)),
    "polar": lambda L: L.polar(L.tensor([1.0, 2.0]), L.tensor([0.0, 1.5])),
    "cat": lambda L: L.cat([z(L), z(L)]), "stack": lambda L: L.stack([z(L), z(L)]),
    "index": lambda L: z(L)[L.tensor([1, 0])], "flip": lambda L: z(L).flip(0),
    "roll": lambda L: z(L).roll(1), "expand": lambda L: z(L).reshape(2, 1).expand(2, 3),
    "where": lambda L: L.where(L.tensor([True, False]), z(L), 0),
    "zeros_like": lambda L: L.zeros_like(z(L)), "clone": lambda L: z(L).clone(),
    "mul_": lambda L: z(L).mul_(2), "add_": lambda L: z(L).add_(1j),
    "fill_": lambda L: z(L).fill_(1j), "copy_": lambda L: z(L).copy_(L.tensor([1.0, 2.0])),
    "masked_fill": lambda L: z(L).masked_fill(L.tensor([True, False]), 2j),
    "rand": lambda L: (L.manual_seed(0), L.rand(2, 3, dtype=L.cfloat))[1],
    "randn": lambda L: (L.manual_seed(1), L.randn((20,), dtype=L.complex128))[1],
    "var-std": lambda L: (L.tensor([[1 + 2j, 3 - 1j], [0.5j, -2.0]]).var(),
                          L.tensor([[1 + 2j, 3 - 1j], [0.5j, -2.0]]).std(dim=0)),
    "trace": lambda L: L.tensor([[1 + 2j, 3 - 1j], [0.5j, -2.0]]).trace(),
    "nonzero": lambda L: L.tensor([[1 + 2j, 0j], [0.5j, 0]]).nonzero(),
    "sinc": lambda L: L.sinc(L.tensor([0.5 + 1j, 0j, 2 - 1j])),
    "item": lambda L: z(L)[0].item(), "tolist": lambda L: z(L).tolist(),
    "is_complex": lambda L: (z(L).is_complex(), L.is_complex(z(L)), L.ones(1).is_complex()),
    "dtype-facts": lambda L: (L.cfloat, L.cdouble, L.cfloat.is_complex, L.cfloat.to_real(),
                              L.float64.to_complex(), L.cdouble.is_floating_point,
                              L.cfloat.itemsize, L.cfloat.is_signed),
    "promote_types": lambda L: (L.promote_types(L.float64, L.complex64),
                                L.promote_types(L.int64, L.complex128)),
    "result_type": lambda L: (L.result_type(L.ones(2), 1j),
                              L.result_type(L.ones(2, dtype=L.float64), z(L))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_matches_torch(name):
    same(CASES[name](eager), CASES[name](torch))


def test_real_and_imag_are_views_that_write_through():
    for L in (eager, torch):
        t = z(L)
        t.real.mul_(10)
        t.imag[0] = -5.0
        assert t.tolist() == [10 - 5j, 30 - 1j]


def test_view_as_real_and_view_as_complex_share_memory():
    for L in (eager, torch):
        pairs = L.tensor([[1.0, 2.0], [3.0, 4.0]])
        c = L.view_as_complex(pairs)
        pairs[1, 1] = 9.0
        assert c.tolist() == [1 + 2j, 3 + 9j]
        L.view_as_real(c)[0, 0] = 7.0
        assert pairs[0, 0].item() == 7.0


REFUSED = {
    "lt": lambda L: z(L) < z(L), "max": lambda L: z(L).max(), "relu": lambda L: L.relu(z(L)),
    "clamp": lambda L: z(L).clamp(0, 1), "maximum": lambda L: L.maximum(z(L), z(L)),
    "sort": lambda L: z(L).sort(), "floor": lambda L: z(L).floor(),
    "sign": lambda L: L.sign(z(L)), "copysign": lambda L: L.copysign(z(L), 1.0),
    "imag-of-real": lambda L: L.ones(2).imag,
    "view_as_real-of-real": lambda L: L.view_as_real(L.ones(2)),
    "view_as_complex-size": lambda L: L.view_as_complex(L.ones(3)),
    "view_as_complex-int": lambda L: L.view_as_complex(L.ones(2, dtype=L.int64)),
    "view_as_complex-stride": lambda L: L.view_as_complex(L.ones(2, 2, dtype=L.float64).t()),
    "view_as_complex-pairs": lambda L: L.view_as_complex(L.ones(2, 3)[:, :2]),
    "complex-dtypes": lambda L: L.complex(L.ones(2), L.ones(2, dtype=L.float64)),
    "complex-int": lambda L: L.complex(L.ones(2, dtype=L.int64), L.ones(2, dtype=L.int64)),
    "polar-dtypes": lambda L: L.polar(L.ones(2), L.ones(2, dtype=L.float64)),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refusals_are_torchs(name):
    assert_raises_as_torch(REFUSED[name])


def test_complex_tensors_save_and_load_with_torch(tmp_path):
    eager.save({"z": z(eager)}, tmp_path / "ours.pt")
    assert torch.equal(torch.load(tmp_path / "ours.pt")["z"], z(torch))
    torch.save({"w": torch.tensor([[1j, 2.0]], dtype=torch.complex128)}, tmp_path / "theirs.pt")
    loaded = eager.load(tmp_path / "theirs.pt")["w"]
    assert loaded.dtype == eager.complex128 and loaded.tolist() == [[1j, 2 + 0j]]

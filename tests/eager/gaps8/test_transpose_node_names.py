"""The transposes' backward nodes are named by the call, as torch names them (``w.T``
PermuteBackward0, ``w.t()`` TBackward0, ``transpose``/``mT``/``mH``/``adjoint``
TransposeBackward0, ``permute``/``movedim`` PermuteBackward0), for 0-d to 3-d values, with
torch's errors and values and unchanged gradients."""

import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

CALLS = {
    "T": lambda L, w: w.T, "t": lambda L, w: w.t(), "torch.t": lambda L, w: L.t(w),
    "permute": lambda L, w: w.permute(*range(w.ndim - 1, -1, -1)),
    "permute id": lambda L, w: w.permute(tuple(range(w.ndim))),
    "torch.permute": lambda L, w: L.permute(w, tuple(range(w.ndim - 1, -1, -1))),
    "transpose": lambda L, w: w.transpose(0, -1), "transpose same": lambda L, w: w.transpose(0, 0),
    "torch.transpose": lambda L, w: L.transpose(w, 0, -1),
    "swapaxes": lambda L, w: w.swapaxes(0, -1), "swapdims": lambda L, w: w.swapdims(-1, 0),
    "mT": lambda L, w: w.mT, "mH": lambda L, w: w.mH, "H": lambda L, w: w.H,
    "adjoint": lambda L, w: w.adjoint(), "torch.adjoint": lambda L, w: L.adjoint(w),
    "movedim": lambda L, w: w.movedim(0, -1), "moveaxis": lambda L, w: L.moveaxis(w, 0, -1),
}
SHAPES = [(), (3,), (2, 3), (2, 3, 4)]
# torch's 0-d movedim is an AliasBackward0 and its 0-d permute() takes no dims: not matched.
SKIP = {((), "movedim"), ((), "moveaxis"), ((), "permute")}


def _outcome(lib, shape, call):
    w = lib.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape), requires_grad=True)
    with warnings.catch_warnings():
        # (torch's deprecation warnings for 0-d and n-d transposes come once per process)
        warnings.simplefilter("ignore")
        try:
            out = CALLS[call](lib, w)
        except (RuntimeError, IndexError) as e:
            return ("error", str(e)), None
    name = type(out.grad_fn).__name__ if out.grad_fn is not None else None
    if out is not w:
        out.sum().backward()
    grad = None if w.grad is None else w.grad.numpy().tolist()
    return (name, tuple(out.shape), out.detach().numpy().tolist()), grad


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("call", list(CALLS))
def test_transposes_record_torchs_nodes(shape, call):
    if (shape, call) in SKIP:
        pytest.skip("a 0-d edge torch handles otherwise")
    ours, ours_grad = _outcome(eager, shape, call)
    theirs, their_grad = _outcome(torch, shape, call)
    assert ours == theirs
    assert ours_grad == their_grad


def test_complex_adjoint_conjugates():
    z = np.array([[1 + 2j, 3 - 1j], [0.5j, 2.0]], dtype=np.complex64)
    for name in ("mH", "adjoint"):
        ours = CALLS[name](eager, eager.tensor(z))
        theirs = CALLS[name](torch, torch.tensor(z))
        np.testing.assert_array_equal(ours.numpy(), theirs.resolve_conj().numpy())


def test_zero_d_matrix_transposes_warn_once_per_process_as_torch():
    # In a fresh process (the warning comes once per process, as torch's TORCH_WARN_ONCE).
    script = ("import warnings, eager\n"
              "w = eager.tensor(2.0)\n"
              "with warnings.catch_warnings(record=True) as caught:\n"
              "    warnings.simplefilter('always')\n"
              "    same = [w.mH is w, w.mH is w, w.mT is w, w.adjoint() is w, w.H is w]\n"
              "print(same, [str(c.message) for c in caught])\n")
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=pathlib.Path(eager.__file__).parents[1])
    assert ran.stdout.strip() == str([True] * 5) + " " + str([
        "Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().",
        "Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
        "adjoint() is deprecated on 0-D tensors. Consider using x.conj().",
        "Tensor.H is deprecated on 0-D tensors. Consider using x.conj()."])

"""``torch.mm``/``torch.bmm`` (functions and methods) as torch's: their gradient nodes'
names, and the rank and size errors that set them apart from ``matmul``."""

import pytest

import eager

torch = pytest.importorskip("torch")

BAD = [
    (lambda L: L.mm(L.ones(2, 3, 3), L.ones(3, 4)), "self must be a matrix"),
    (lambda L: L.ones(2, 3).mm(L.ones(3)), "mat2 must be a matrix"),
    (lambda L: L.mm(L.ones(2, 3), L.ones(4, 2)), r"shapes cannot be multiplied \(2x3 and 4x2\)"),
    (lambda L: L.bmm(L.ones(2, 3), L.ones(3, 4)), "batch1 must be a 3D tensor"),
    (lambda L: L.ones(2, 2, 3).bmm(L.ones(3, 4)), "batch2 must be a 3D tensor"),
    (lambda L: L.bmm(L.ones(2, 2, 3), L.ones(3, 3, 4)),
     r"first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[3, 3\]"),
]


@pytest.mark.parametrize("call, message", BAD)
def test_rank_and_size_errors_match_torch(call, message):
    for lib in (eager, torch):
        with pytest.raises(RuntimeError, match=message):
            call(lib)


def test_node_names_match_torch():
    for lib in (eager, torch):
        a = lib.ones(2, 3, requires_grad=True)
        b = lib.ones(3, 4)
        names = [lib.mm(a, b).grad_fn.name(), a.mm(b).grad_fn.name(),
                 lib.bmm(a[None], b[None]).grad_fn.name(),
                 lib.matmul(a[None], b[None]).grad_fn.name()]
        assert names == ["MmBackward0", "MmBackward0", "BmmBackward0", "UnsafeViewBackward0"]

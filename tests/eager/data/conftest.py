"""Helpers for the data-loading tests: PyTorch's RNG stream in NumPy, and a plain form of
batches so eager's and PyTorch's outputs compare with ``==``."""

import multiprocessing

import numpy as np
import pytest

import eager


def mt19937(seed: int) -> np.random.Generator:
    """A NumPy generator over PyTorch's CPU stream for ``torch.Generator().manual_seed(seed)``:
    MT19937 seeded by ``init_genrand(seed & 0xffffffff)``. eager's data code draws 32-bit
    words from it exactly as ATen draws from its mt19937, so indices must equal PyTorch's."""
    key = np.empty(624, dtype=np.uint32)
    x = key[0] = seed & 0xFFFFFFFF
    for j in range(1, 624):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    bit_generator = np.random.MT19937()
    bit_generator.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
    return np.random.Generator(bit_generator)


def plain(obj):
    """Tensors (eager or torch) as ``("tensor", dtype name, values)``; containers keep their
    type name, so a list where PyTorch gives a tuple is a difference."""
    if isinstance(obj, eager.Tensor):
        return ("tensor", str(obj.dtype).removeprefix("torch."), obj.numpy().tolist())
    if type(obj).__module__ == "torch" and type(obj).__name__ in ("Tensor", "Parameter"):
        return ("tensor", str(obj.dtype).removeprefix("torch."), obj.numpy().tolist())
    if isinstance(obj, dict):
        return ("dict", {k: plain(v) for k, v in obj.items()})
    if isinstance(obj, list | tuple):
        kind = type(obj).__name__ if not hasattr(obj, "_fields") else "namedtuple"
        return (kind, [plain(v) for v in obj])
    return obj


@pytest.fixture
def torch_stream():
    return mt19937


@pytest.fixture
def as_plain():
    return plain


@pytest.fixture
def no_leftover_workers():
    """Fail a test that leaves worker processes running (processes started before it are
    not its business)."""
    import gc

    before = set(multiprocessing.active_children())
    yield
    leaked = [p for p in multiprocessing.active_children() if p not in before]
    if leaked:  # an iterator in a reference cycle: collecting it shuts its workers down
        gc.collect()
        leaked = [p for p in multiprocessing.active_children() if p not in before]
    for p in leaked:  # don't let one failure hang the session
        p.terminate()
    assert leaked == []

"""Re-assigning a child module, parameter or buffer keeps its place in the module's table (so
a Sequential still runs its layers in order, and state dicts keep torch's key order), and
``load_state_dict(assign=True)`` makes the checkpoint's tensors the module's own: checked
against torch."""

from __future__ import annotations

import pytest
from hooks2_oracle import same as _same


def test_a_replaced_child_keeps_its_place_and_the_sequential_its_order():
    def scenario(lib):
        nn = lib.nn
        seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))
        seq[0] = nn.Tanh()
        setattr(seq, "1", nn.Sigmoid())
        block = nn.Module()
        block.q, block.k, block.v = nn.Linear(1, 1), nn.Linear(1, 1), nn.Linear(1, 1)
        for name, child in list(block.named_children()):
            setattr(block, name, nn.Sequential(child))  # a LoRA-style wrapper swap
        return list(seq._modules), [type(c).__name__ for c in seq], list(block.state_dict())

    assert _same(scenario)[0] == ["0", "1", "2"]


def test_replaced_parameters_and_buffers_keep_their_places():
    def scenario(lib):
        lin = lib.nn.Linear(2, 3)
        lin.weight = lib.nn.Parameter(lib.zeros(3, 2))
        bn = lib.nn.BatchNorm1d(2)
        bn.running_mean = lib.ones(2)
        bn.weight = None
        bn.weight = lib.nn.Parameter(lib.ones(2))
        return (list(lin.state_dict()), [n for n, _ in lin.named_parameters()],
                list(bn.state_dict()), bn.running_mean.tolist())

    assert _same(scenario)[0] == ["weight", "bias"]


def test_assign_makes_the_checkpoint_tensors_the_modules_own():
    def scenario(lib):
        lin = lib.nn.Linear(2, 2)
        bn = lib.nn.BatchNorm1d(2)
        w = lib.ones(2, 2, dtype=lib.float64)
        lin.load_state_dict({"weight": w, "bias": lib.zeros(2, dtype=lib.float64)}, assign=True)
        mean = lib.full((2,), 3.0)
        bn.load_state_dict({**bn.state_dict(), "running_mean": mean}, assign=True)
        w[0, 0] = 5
        mean[1] = 7
        return (str(lin.weight.dtype), type(lin.weight).__name__, lin.weight.requires_grad,
                lin.weight[0, 0].item(), bn.running_mean.tolist(), bn.running_mean is mean,
                type(bn.weight).__name__)

    assert _same(scenario)[:4] == ("torch.float64", "Parameter", True, 5.0)


def test_to_empty_keeps_the_objects_shapes_and_dtypes_as_torch():
    def scenario(lib):
        net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
        before = [id(p) for p in net.parameters()]
        same = net.to_empty(device="cpu", recurse=True) is net
        net.load_state_dict({k: lib.zeros_like(v) for k, v in net.state_dict().items()})
        with pytest.raises(TypeError):
            net.to_empty("cpu")
        with pytest.raises(AssertionError, match="not compiled with CUDA"):
            net.to_empty(device="cuda")
        return same, before == [id(p) for p in net.parameters()], \
            [(tuple(t.shape), str(t.dtype)) for t in net.state_dict().values()], \
            net[0].weight.requires_grad
    assert _same(scenario)[:2] == (True, True)

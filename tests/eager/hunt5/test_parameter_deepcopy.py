"""copy.deepcopy of parameters and models as PyTorch does it: a Parameter's copy has its data
and requires_grad but no .grad (DPO's frozen reference model, EMA teachers), while a plain
leaf tensor's copy keeps its gradient."""

import copy

import torch

import eager


def _trained(lib):
    lib.manual_seed(0)
    model = lib.nn.Linear(3, 2)
    model(lib.ones(4, 3)).pow(2).sum().backward()
    return model


def test_deepcopy_of_a_model_drops_the_parameter_gradients():
    for lib in (torch, eager):
        model = _trained(lib)
        clone = copy.deepcopy(model)
        assert all(p.grad is None for p in clone.parameters())
        assert all(p.grad is not None for p in model.parameters())
        assert type(clone.weight).__name__ == "Parameter" and clone.weight.requires_grad
        assert lib.equal(clone.weight, model.weight)
        assert clone.weight.data_ptr() != model.weight.data_ptr()


def test_deepcopy_keeps_requires_grad_false_and_shared_parameters_shared():
    results = []
    for lib in (torch, eager):
        frozen = lib.nn.Parameter(lib.ones(2), requires_grad=False)
        pair = copy.deepcopy([frozen, frozen])
        results.append((pair[0] is pair[1], pair[0].requires_grad, pair[0].grad))
    assert results[0] == results[1] == (True, False, None)


def test_deepcopy_of_a_plain_leaf_keeps_its_gradient():
    grads = []
    for lib in (torch, eager):
        t = lib.tensor([1.0, 2.0], requires_grad=True)
        (t * 3).sum().backward()
        grads.append(copy.deepcopy(t).grad.tolist())
    assert grads[0] == grads[1] == [3.0, 3.0]

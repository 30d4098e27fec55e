"""nn.utils.prune against torch: masks, the reparametrization (``<name>_orig``,
``<name>_mask``, the forward pre-hook), repeated pruning, removal and the errors."""

from __future__ import annotations

import importlib

import pytest
from module2_oracle import rounded, same_error, under_both


def _prune(lib):
    return importlib.import_module(f"{lib.__name__}.nn.utils.prune")


def _state(module):
    return ([n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()],
            list(module.state_dict()), [type(h).__name__
                                        for h in module._forward_pre_hooks.values()])


@pytest.mark.parametrize("how", [
    ("l1_unstructured", {"amount": 0.3}), ("l1_unstructured", {"amount": 5}),
    ("random_unstructured", {"amount": 0.5}), ("random_structured", {"amount": 2, "dim": 0}),
    ("ln_structured", {"amount": 0.5, "n": 2, "dim": 0}),
    ("ln_structured", {"amount": 1, "n": 1, "dim": 1}),
    ("ln_structured", {"amount": 0.4, "n": float("inf"), "dim": -1}), ("identity", {})])
def test_masks_and_reparametrization_match_torch(how):
    name, kwargs = how

    def scenario(lib):
        conv = lib.nn.Conv2d(3, 4, 3)
        getattr(_prune(lib), name)(conv, "weight", **kwargs)
        out = conv(lib.randn(1, 3, 5, 5))
        return (rounded(conv.weight_mask), rounded(conv.weight, 4), _state(conv),
                rounded(out, 4), conv.weight.grad_fn is not None)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_repeated_pruning_composes_in_a_container_and_remove_makes_it_permanent():
    def scenario(lib):
        prune = _prune(lib)
        lin = lib.nn.Linear(6, 5)
        prune.l1_unstructured(lin, "weight", amount=0.3)
        prune.ln_structured(lin, "weight", amount=2, n=1, dim=0)
        prune.random_unstructured(lin, "weight", amount=3)
        hook = next(iter(lin._forward_pre_hooks.values()))
        kinds = [type(m).__name__ for m in hook]
        mask = rounded(lin.weight_mask)
        pruned = prune.is_pruned(lin)
        prune.remove(lin, "weight")
        return (kinds, mask, pruned, prune.is_pruned(lin), _state(lin), rounded(lin.weight, 4),
                type(lin.weight).__name__)
    theirs, ours = under_both(scenario)
    assert ours == theirs and ours[0] == ["L1Unstructured", "LnStructured",
                                          "RandomUnstructured"]


def test_gradients_reach_the_original_through_the_mask_and_training_keeps_zeros():
    def scenario(lib):
        prune = _prune(lib)
        lin = lib.nn.Linear(4, 3)
        prune.l1_unstructured(lin, "weight", amount=6)
        opt = lib.optim.SGD(lin.parameters(), lr=0.5)
        for _ in range(2):
            opt.zero_grad()
            lin(lib.randn(2, 4)).pow(2).sum().backward()
            opt.step()
        return rounded(lin.weight_orig.grad, 4), rounded(lin.weight, 4)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_global_unstructured_and_custom_from_mask_and_importance_scores():
    def scenario(lib):
        prune = _prune(lib)
        a, b = lib.nn.Linear(4, 3), lib.nn.Linear(3, 2)
        prune.global_unstructured([(a, "weight"), (b, "weight")],
                                  pruning_method=prune.L1Unstructured, amount=0.5)
        prune.custom_from_mask(a, "bias", mask=lib.tensor([1.0, 0.0, 1.0]))
        scores = lib.arange(6.0).reshape(2, 3)
        prune.l1_unstructured(b, "weight", amount=2, importance_scores=scores)
        return (rounded(a.weight_mask), rounded(b.weight_mask), rounded(a.bias, 4),
                _state(a), _state(b))
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_prune_method_on_a_tensor():
    def scenario(lib):
        prune = _prune(lib)
        t = lib.randn(3, 4)
        return (rounded(prune.L1Unstructured(amount=0.5).prune(t), 4),
                rounded(prune.LnStructured(amount=1, n=2, dim=1).prune(t), 4))
    theirs, ours = under_both(scenario)
    assert ours == theirs


@pytest.mark.parametrize("bad, error", [
    (lambda p, m: p.l1_unstructured(m, "weight", amount=1.5), ValueError),
    (lambda p, m: p.l1_unstructured(m, "weight", amount=-1), ValueError),
    (lambda p, m: p.l1_unstructured(m, "weight", amount="a"), TypeError),
    (lambda p, m: p.l1_unstructured(m, "weight", amount=100), ValueError),
    (lambda p, m: p.ln_structured(m, "bias", amount=1, n=2, dim=0), ValueError),
    (lambda p, m: p.ln_structured(m, "weight", amount=1, n=2, dim=3), IndexError),
    (lambda p, m: p.remove(m, "weight"), ValueError),
    (lambda p, m: p.global_unstructured(3, pruning_method=p.L1Unstructured, amount=1),
     TypeError),
    (lambda p, m: p.global_unstructured([(m, "weight")], pruning_method=p.LnStructured,
                                        amount=1, n=2, dim=0), TypeError),
])
def test_errors_are_torch_errors(bad, error):
    def scenario(lib):
        bad(_prune(lib), lib.nn.Linear(3, 2))
    same_error(error, scenario)


def test_a_failed_pruning_leaves_the_parameter_in_place():
    def scenario(lib):
        lin = lib.nn.Linear(3, 2)
        with pytest.raises(ValueError):
            _prune(lib).l1_unstructured(lin, "weight", amount=100)
        return _state(lin)
    theirs, ours = under_both(scenario)
    assert ours == theirs == (["bias", "weight"], [], ["bias", "weight"], [])


@pytest.mark.parametrize("seed", range(4))
def test_tied_magnitudes_are_pruned_as_torch_picks_them(seed):
    def scenario(lib):
        lib.manual_seed(seed)
        lin = lib.nn.Linear(40, 30)
        with lib.no_grad():  # few distinct magnitudes: ties across the k-th place
            lin.weight.copy_(lib.randint(-2, 3, (30, 40)).float())
        prune = _prune(lib)
        prune.l1_unstructured(lin, "weight", amount=0.37)
        prune.ln_structured(lin, "weight", amount=7, n=1, dim=0)
        small = lib.nn.Linear(64, 4)
        with lib.no_grad():
            small.weight.fill_(1.0)
        prune.l1_unstructured(small, "weight", amount=3)  # k * 64 <= n: torch's other path
        return rounded(lin.weight_mask), rounded(small.weight_mask)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_topk_ties_match_torch_on_random_tie_heavy_vectors():
    import numpy as np
    from module2_oracle import torch

    from eager.nn.utils.topk_ties import topk_indices
    rng = np.random.default_rng(0)
    for _ in range(300):
        n = int(rng.integers(1, 400))
        k = int(rng.integers(0, n + 1))
        values = rng.integers(0, 4, size=n).astype(np.float32)
        if rng.random() < 0.2:
            values[rng.integers(0, n, size=2)] = np.nan
        largest = bool(rng.integers(0, 2))
        theirs = torch.topk(torch.from_numpy(values), k=k, largest=largest).indices
        assert set(topk_indices(values, k, largest).tolist()) == set(theirs.tolist())

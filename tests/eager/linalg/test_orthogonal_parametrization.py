"""``nn.utils.parametrizations.orthogonal`` against torch's: the same seed gives the same
initial weights for every map and shape (square, tall, wide, batched, with and without the
trivialization), the weight stays orthogonal through training steps with the same values,
and the errors are torch's."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

CONFIGS = [
    ("square-default", (5, 5), None, True),
    ("tall-default", (6, 3), None, True),  # householder
    ("wide-default", (3, 6), None, True),
    ("cayley", (4, 4), "cayley", True),
    ("matrix_exp-tall", (6, 4), "matrix_exp", True),  # the base completed by a random draw
    ("householder-square", (4, 4), "householder", True),
    ("householder-no-trivialization", (5, 3), "householder", False),
    ("matrix_exp-no-trivialization", (4, 4), "matrix_exp", False),
]


def run(L, shape, orthogonal_map, use_trivialization, steps=3):
    """The weight after registration and after a few SGD steps on a fixed loss."""
    L.manual_seed(5)
    layer = L.nn.Linear(shape[1], shape[0], bias=False)
    L.nn.utils.parametrizations.orthogonal(layer, orthogonal_map=orthogonal_map,
                                           use_trivialization=use_trivialization)
    weights = [layer.weight.detach().numpy().copy()]
    opt = L.optim.SGD(layer.parameters(), lr=0.1)
    x = L.randn(7, shape[1])
    for _ in range(steps):
        loss = (layer(x) - 1).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        weights.append(layer.weight.detach().numpy().copy())
    return weights, sorted(layer.state_dict())


@pytest.mark.parametrize("name, shape, orthogonal_map, trivial", CONFIGS,
                         ids=[c[0] for c in CONFIGS])
def test_weights_and_training_match_torch(name, shape, orthogonal_map, trivial):
    ours, our_keys = run(eager, shape, orthogonal_map, trivial)
    theirs, their_keys = run(torch, shape, orthogonal_map, trivial)
    assert our_keys == their_keys
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-4, atol=1e-5)
    small = min(shape)
    gram = ours[-1] @ ours[-1].T if shape[0] < shape[1] else ours[-1].T @ ours[-1]
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)


def test_batched_float64_weight_matches_torch():
    values = []
    for L in (eager, torch):
        L.manual_seed(2)
        module = L.nn.Module()
        module.weight = L.nn.Parameter(L.randn(2, 4, 3, dtype=L.float64))
        L.nn.utils.parametrizations.orthogonal(module)
        values.append(module.weight.detach().numpy())
    np.testing.assert_allclose(*values, rtol=1e-10, atol=1e-12)


def test_an_orthogonal_weight_is_kept():
    q = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))[0]
    layer = eager.nn.Linear(4, 4, bias=False)
    with eager.no_grad():
        layer.weight.copy_(eager.tensor(q, dtype=eager.float32))
    eager.nn.utils.parametrizations.orthogonal(layer)
    np.testing.assert_allclose(layer.weight.detach().numpy(), q, atol=1e-6)


@pytest.mark.parametrize("call", [
    lambda L: L.nn.utils.parametrizations.orthogonal(L.nn.Linear(3, 3), "bias"),
    lambda L: L.nn.utils.parametrizations.orthogonal(L.nn.Linear(3, 3), "nothing"),
    lambda L: L.nn.utils.parametrizations.orthogonal(L.nn.Linear(3, 3), orthogonal_map="qr"),
], ids=["vector", "missing", "bad-map"])
def test_errors_match_torch(call):
    messages = []
    for L in (eager, torch):
        with pytest.raises(ValueError) as info:
            call(L)
        messages.append(str(info.value))
    assert messages[0] == messages[1].replace("torch", "eager") or messages[0] == messages[1]


def test_assigning_to_matrix_exp_without_trivialization_raises_as_torch():
    messages = []
    for L in (eager, torch):
        layer = L.nn.utils.parametrizations.orthogonal(L.nn.Linear(3, 3),
                                                        use_trivialization=False)
        with pytest.raises(NotImplementedError) as info:
            layer.weight = L.eye(3)
        messages.append(str(info.value))
    assert messages[0] == messages[1]

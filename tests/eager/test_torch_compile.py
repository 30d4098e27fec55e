"""``eager.compile`` (``torch.compile``): the plain backends wrap the model as PyTorch's
OptimizedModule does (``_orig_mod.`` state-dict keys, attributes read through, the same
numbers); ``backend="dualgraph"`` trains through the static compiler to eager's losses."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def test_compiled_module_is_torchs_wrapper():
    for L in (eager, torch):
        L.manual_seed(0)
        model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Linear(4, 1))
        compiled = L.compile(model, backend="eager")
        assert list(compiled.state_dict()) == ["_orig_mod.0.weight", "_orig_mod.0.bias",
                                              "_orig_mod.2.weight", "_orig_mod.2.bias"]
        assert compiled._orig_mod is model and compiled.eval() is compiled and not model.training
        assert type(compiled).__name__ == "OptimizedModule"
        assert repr(compiled).startswith("OptimizedModule(\n  (_orig_mod): Sequential(")
        x = L.ones(2, 3)
        np.testing.assert_array_equal(compiled(x).detach().numpy(), model(x).detach().numpy())
        assert L.compile(model, disable=True) is model


def test_functions_and_the_decorator_form():
    @eager.compile(fullgraph=True)
    def double(x):
        return x * 2

    assert double(eager.ones(2)).tolist() == [2.0, 2.0]
    assert eager.compile(abs)(-3) == 3


def test_dualgraph_backend_trains_to_eagers_losses():
    import static  # noqa: F401  (registers the "dualgraph" compiler)

    losses = []
    for backend in ("eager", "dualgraph"):
        eager.manual_seed(1)
        model = eager.nn.Sequential(eager.nn.Linear(3, 8), eager.nn.Tanh(), eager.nn.Linear(8, 1))
        compiled = eager.compile(model, backend=backend)
        opt = eager.optim.SGD(model.parameters(), lr=0.1)
        x, y = eager.randn(16, 3), eager.randn(16, 1)
        run = []
        for _ in range(5):
            loss = ((compiled(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            run.append(loss.item())
        losses.append(run)
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)


def test_unknown_backends_are_named():
    with pytest.raises(RuntimeError, match="backend 'tvm' is not available"):
        eager.compile(eager.nn.Linear(1, 1), backend="tvm")
    with pytest.raises(NotImplementedError, match="torch.fx graph"):
        eager.compile(eager.nn.Linear(1, 1), backend=lambda gm, inputs: gm)

"""jit.script (a wrapper running the Python: same outputs as torch's scripted module, torch's
printing, the Python source as .code) and the TorchScript markers as torch behaves in eager
code: ignore, unused, export, annotate, Final, is_scripting, fork/wait, freeze."""

import typing

import numpy as np
import pytest

import eager
import eager.jit as jit

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:DeprecationWarning")


class Gate:
    """Built per library: a Module with an exported and an ignored method."""

    @staticmethod
    def make(lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = lib.nn.Linear(3, 2)
                self.hidden = 2

            def forward(self, x):
                return lib.sigmoid(self.fc(x)) * self.hidden

            @lib.jit.export
            def halved(self, x):
                return self.forward(x) / 2

        lib.manual_seed(1)
        return Net()


def test_scripted_module_computes_and_prints_as_torchs():
    ours, theirs = Gate.make(eager), Gate.make(torch)
    ours.load_state_dict({k: eager.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    s_ours, s_theirs = jit.script(ours), torch.jit.script(theirs)
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(s_ours(eager.tensor(x)).detach().numpy(),
                               s_theirs(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(s_ours.halved(eager.tensor(x)).detach().numpy(),
                               s_theirs.halved(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    assert repr(s_ours) == repr(s_theirs)
    assert repr(s_ours.fc) == repr(s_theirs.fc)
    assert s_ours.hidden == s_theirs.hidden == 2
    assert list(s_ours.state_dict()) == list(s_theirs.state_dict())


def test_scripted_code_is_the_python_that_runs():
    scripted = jit.script(Gate.make(eager))
    assert scripted.code.startswith("def forward(self, x):")
    with pytest.raises(RuntimeError, match="only modules made by jit.trace"):
        scripted.graph  # noqa: B018
    with pytest.raises(RuntimeError, match="only a module made by jit.trace can be saved"):
        scripted.save("never.pt")


def test_scripted_function_calls_the_function():
    @jit.script
    def scale(x, factor: int = 3):
        return x * factor

    @torch.jit.script
    def torch_scale(x, factor: int = 3):
        return x * factor

    assert scale(eager.ones(2)).tolist() == torch_scale(torch.ones(2)).tolist() == [3.0, 3.0]
    assert scale.name == "scale" and "return x * factor" in scale.code


def test_markers_return_what_torch_returns():
    def f(x):
        return x + 1

    for lib in (eager, torch):
        assert lib.jit.ignore(f) is f and lib.jit.unused(f) is f and lib.jit.export(f) is f
        assert lib.jit.ignore(drop=False)(f) is f
        assert lib.jit.annotate(typing.List[int], []) == []  # noqa: UP006
        assert lib.jit.is_scripting() is False and lib.jit.is_tracing() is False
        assert lib.jit.Final is typing.Final
        assert lib.jit.wait(lib.jit.fork(f, 2)) == 3
        with pytest.raises(RuntimeError, match="Freezing expects a ScriptModule as input"):
            lib.jit.freeze(lib.nn.Linear(1, 1))
        with pytest.raises(RuntimeError, match="only implemented for modules in eval mode"):
            lib.jit.freeze(lib.jit.script(lib.nn.Linear(1, 1)))
        frozen = lib.jit.freeze(lib.jit.script(lib.nn.Linear(1, 1).eval()))
        assert frozen(lib.zeros(1, 1)).shape == (1, 1)


def plus_one(x):
    return x + 1


def test_markers_warn_as_torch():
    for lib in (eager, torch):
        with pytest.warns(DeprecationWarning, match="`torch.jit.fork` is deprecated"):
            lib.jit.fork(abs, -1)
        with pytest.warns(DeprecationWarning, match="`torch.jit.script` is deprecated"):
            lib.jit.script(plus_one)


def test_script_module_subclass_is_a_module():
    class Mine(jit.ScriptModule):
        def __init__(self):
            super().__init__()
            self.fc = eager.nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(x)

    m = Mine()
    assert isinstance(m, eager.nn.Module) and m(eager.ones(1, 2)).shape == (1, 2)
    assert jit.script(m) is m


def test_old_style_script_module_with_attributes_runs_as_torchs():
    def build(lib):
        class Scaled(lib.jit.ScriptModule):
            def __init__(self):
                super().__init__()
                self.w = lib.nn.Parameter(lib.ones(2) * 0.5)
                self.k = lib.jit.Attribute(3, int)

            @lib.jit.script_method
            def forward(self, x):
                return x * self.w * self.k

        return Scaled()

    ours, theirs = build(eager), build(torch)
    assert ours.k == theirs.k == 3 and type(ours.k) is int
    assert ours(eager.ones(2)).tolist() == theirs(torch.ones(2)).tolist() == [1.5, 1.5]
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["w"]
    assert issubclass(jit.TracingCheckError, Exception) and issubclass(jit.Error, Exception)

"""eager.compiler's helpers behave as torch.compiler's do outside a Dynamo compile."""

import inspect

import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["disable", "is_compiling", "is_dynamo_compiling", "reset",
                                  "allow_in_graph", "assume_constant_result"])
def test_signature_is_torchs(name):
    got = inspect.signature(getattr(eager.compiler, name))
    want = inspect.signature(getattr(torch.compiler, name))
    assert list(got.parameters) == list(want.parameters)
    assert [p.default for p in got.parameters.values()] == \
        [p.default for p in want.parameters.values()]


def test_disable_runs_the_function_in_both_forms():
    def add_one(x):
        return x + 1

    for lib in (torch, eager):
        plain = lib.compiler.disable(add_one)
        decorated = lib.compiler.disable(recursive=False)(add_one)
        assert plain(lib.tensor([1.0])).tolist() == [2.0]
        assert decorated(lib.tensor([2.0])).tolist() == [3.0]
        assert plain.__wrapped__ is add_one and plain.__name__ == "add_one"
        assert lib.compiler.is_compiling() is False
        assert lib.compiler.reset() is None


def test_disabled_method_inside_a_compiled_module():
    class Net(eager.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = eager.nn.Linear(3, 2)

        @eager.compiler.disable
        def log(self, x):
            return x.sum()

        def forward(self, x):
            return self.fc(x) * self.log(x)

    net = Net()
    x = eager.ones(2, 3)
    assert eager.compile(net)(x).tolist() == net(x).tolist()

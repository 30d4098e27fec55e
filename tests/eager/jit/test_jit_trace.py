"""jit.trace against torch.jit.trace: the traced module computes the same numbers (on the
example and on other batch sizes), keeps the original's parameters (state_dict keys,
gradients reach them), prints as torch's, shows a real graph and generated source, warns as
torch on data-dependent control flow and on a failed check, and sets is_tracing."""

import warnings

import numpy as np
import pytest

import eager
import eager.jit as jit

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:DeprecationWarning")


def make_net(lib):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = lib.nn.Linear(4, 3)
            self.out = lib.nn.Sequential(lib.nn.Tanh(), lib.nn.Linear(3, 2))
            self.register_buffer("scale", lib.ones(2) * 2)

        def forward(self, x):
            return lib.relu(self.out(self.fc(x))) * self.scale

    lib.manual_seed(0)
    return Net()


def test_traced_module_matches_torch_and_the_original():
    ours, theirs = make_net(eager), make_net(torch)
    ours.load_state_dict({k: eager.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    traced = jit.trace(ours, eager.tensor(x[:1]))
    torch_traced = torch.jit.trace(theirs, torch.tensor(x[:1]))
    for rows in (slice(0, 1), slice(0, 5)):  # the example's batch, and another
        got = traced(eager.tensor(x[rows])).detach().numpy()
        np.testing.assert_allclose(got, torch_traced(torch.tensor(x[rows])).detach().numpy(),
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got, ours(eager.tensor(x[rows])).detach().numpy(),
                                   rtol=1e-6, atol=1e-7)
    assert repr(traced) == repr(torch_traced)
    assert list(traced.state_dict()) == list(torch_traced.state_dict())
    assert [p is q for p, q in zip(traced.parameters(), ours.parameters(), strict=True)] == \
        [True] * 4


def test_gradients_of_the_traced_module_reach_the_original_parameters():
    net = make_net(eager)
    x = eager.randn(3, 4)
    traced = jit.trace(net, x)
    traced(x).sum().backward()
    ours = [p.grad.numpy().copy() for p in net.parameters()]
    net.zero_grad()
    net(x).sum().backward()
    for a, b in zip(ours, [p.grad.numpy() for p in net.parameters()], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_graph_and_code_are_the_recorded_computation():
    net = make_net(eager)
    traced = jit.trace(net, eager.randn(2, 4))
    listing = str(traced.graph)
    assert "= placeholder()" in listing and "%fc.weight" in listing
    for op in ("matmul", "tanh", "relu", "mul"):
        assert f"= {op}(" in listing, op
    assert "def step(" in traced.code and "tanh" in traced.code


def test_a_function_traces_to_a_script_function():
    def f(x, y):
        return x * 2 + y.exp()

    x, y = eager.randn(3), eager.randn(3)
    traced = jit.trace(f, (x, y))
    np.testing.assert_allclose(traced(x, y).numpy(), f(x, y).numpy(), rtol=1e-6)
    assert "= exp(%y)" in str(traced.graph)
    assert traced.name == "f"


def branchy(x):
    if x.sum() > 0:
        return x * 2
    return x - 1


def test_data_dependent_control_flow_warns_as_torch():
    def caught(lib):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            lib.jit.trace(branchy, lib.ones(2))
        return [(w.category.__name__, str(w.message), w.lineno) for w in seen
                if w.category.__name__ == "TracerWarning"]

    ours, theirs = caught(eager), caught(torch)
    assert ours[0] == theirs[0]  # the message and the user's line of the `if`


def test_a_traced_branch_runs_the_python_for_other_inputs():
    # Our documented difference: torch freezes the branch taken; here the Python runs.
    with pytest.warns(jit.TracerWarning):
        traced = jit.trace(branchy, eager.ones(2))
    assert traced(-eager.ones(2)).tolist() == [-2.0, -2.0]


def test_check_trace_warns_when_outputs_differ():
    # Dropout in training mode: the traced call and the Python call draw different masks.
    net = eager.nn.Sequential(eager.nn.Linear(8, 8), eager.nn.Dropout(0.5))
    with pytest.warns(jit.TracerWarning, match=r"Output nr 1\. of the traced function does not "
                      r"match the corresponding output of the Python function"):
        jit.trace(net, eager.randn(4, 8))
    with warnings.catch_warnings():
        warnings.simplefilter("error", jit.TracerWarning)
        jit.trace(net, eager.randn(4, 8), check_trace=False)
        jit.trace(net.eval(), eager.randn(4, 8))


def test_is_tracing_is_true_only_inside_the_trace():
    seen = []

    def f(x):
        seen.append(jit.is_tracing())
        return x + 1

    traced = jit.trace(f, eager.ones(1), check_trace=False)
    assert seen[0] is True and not jit.is_tracing()
    traced(eager.ones(1))
    assert not jit.is_tracing()


def test_errors_and_no_ops_are_torchs():
    with pytest.raises(RuntimeError, match="example_kwarg_inputs or example_inputs must be "
                       "provided"):
        jit.trace(eager.nn.Linear(1, 1))
    traced = jit.trace(eager.nn.Linear(2, 1), eager.ones(1, 2))
    with pytest.warns(UserWarning, match="already a ScriptModule, tracing it is a no-op"):
        assert jit.trace(traced, eager.ones(1, 2)) is traced


def test_train_and_eval_reach_the_original():
    net = make_net(eager)
    traced = jit.trace(net, eager.randn(1, 4))
    traced.eval()
    assert not net.training and not net.fc.training and not traced.fc.training
    traced.train()
    assert net.training

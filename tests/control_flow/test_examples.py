"""The acceptance examples: Newton iteration (while_loop) and a branch on the sign of a
reduction (cond) give the same values and gradients in eager and static mode."""

import importlib.util
import os

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "examples",
                                                                     f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_newton_iteration_agrees_in_both_modes_and_with_calculus():
    newton = load("control_flow_newton")
    a = np.array([2.0, 9.0, 0.25, 5.0], np.float32)
    root_e, grad_e = newton.run_eager(a)
    root_s, grad_s = newton.run_static(a)
    np.testing.assert_allclose(root_s, root_e, rtol=1e-6)
    np.testing.assert_allclose(grad_s, grad_e, rtol=1e-5)
    np.testing.assert_allclose(root_s, np.sqrt(a), rtol=1e-5)
    np.testing.assert_allclose(grad_s, 0.5 / np.sqrt(a), rtol=1e-3)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_branch_on_sign_agrees_in_both_modes(sign):
    branch = load("control_flow_branch")
    values = branch.data(sign)
    for e, s in zip(branch.run_eager(values), branch.run_static(values), strict=True):
        np.testing.assert_allclose(s, e, rtol=1e-5, atol=1e-6)


def test_examples_run_as_scripts(capsys):
    load("control_flow_newton").main()
    load("control_flow_branch").main()
    out = capsys.readouterr().out
    assert "static: sqrt = [1.41421 3.      0.5    ]" in out
    assert "score -1 static" in out

"""A scientific-style program that calls ``set_default_dtype(float64)`` first, then builds and
trains a small model: every printed line (numbers and dtypes) is torch's, with the same seed."""

from __future__ import annotations

import pytest

import eager

torch = pytest.importorskip("torch")


def _program(T) -> list[str]:
    """Fit y = sin(3x) with a two-layer MLP in float64; returns the lines the program prints."""
    T.set_default_dtype(T.float64)
    T.manual_seed(7)
    lines = [str(T.get_default_dtype())]
    x = T.linspace(-1, 1, 32).reshape(-1, 1)
    y = T.sin(3 * x) + 0.01 * T.randn(32, 1)
    model = T.nn.Sequential(T.nn.Linear(1, 16), T.nn.Tanh(), T.nn.Dropout(0.1),
                            T.nn.Linear(16, 1))
    lines.append(repr(model[0].weight[:3]))
    lines.append(" ".join(str(p.dtype) for p in model.parameters()))
    opt = T.optim.Adam(model.parameters(), lr=0.05)
    for step in range(25):
        opt.zero_grad()
        loss = T.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        if step % 5 == 0:
            lines.append(f"step {step} loss {loss.item():.12f} {loss.dtype}")
    model.eval()
    with T.no_grad():
        pred = model(T.tensor([[0.25], [0.5]]))
    lines.append(repr(pred))
    lines.append(repr(T.arange(3) * 0.5))
    lines.append(repr(T.tensor([1.0, 2.0], dtype=T.float32)))
    lines.append(str(opt.state_dict()["state"][0]["step"].dtype))
    return lines


def test_float64_program_prints_torch_lines():
    expected = _program(torch)
    torch.set_default_dtype(torch.float32)
    actual = [line.replace("eager.", "torch.") for line in _program(eager)]
    assert actual == expected

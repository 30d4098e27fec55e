"""A whole seeded training program, written once against PyTorch's API, prints the same
losses under PyTorch and under eager: random data, initial weights, dropout masks and the
DataLoader's shuffling all come from the one seeded stream."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def program(torch_like) -> list[float]:
    """Seed, make data, build a model with dropout, train two shuffled epochs."""
    nn = torch_like.nn
    data = torch_like.utils.data
    torch_like.manual_seed(1234)
    x = torch_like.randn(40, 6)
    y = (x[:, :1] * 2 + torch_like.rand(40, 1)).float()
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.25), nn.Linear(16, 1))
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=8, shuffle=True)
    optimizer = torch_like.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(2):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    losses.append(model(torch_like.randn(3, 6)).sum().item())
    return losses


def test_a_seeded_training_program_prints_torchs_numbers():
    expected = program(torch)
    got = program(eager)
    assert len(got) == len(expected) == 11
    np.testing.assert_allclose(got, expected, rtol=2e-5)

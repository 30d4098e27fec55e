"""The three seed snippets, written for PyTorch and run on eager by changing only the imports.

Run it: ``python examples/seed_snippets.py``. tests/eager/test_seed_snippets.py checks the
output, and (when torch is installed) that the same file with ``import torch`` prints the same.
"""

import numpy as np

import eager as torch
import eager.nn as nn
import eager.optim as optim


# (1) A small network: a Module with two Linear layers, printed, and one training step.
class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 5)
        self.fc2 = nn.Linear(5, 1)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        return torch.sigmoid(self.fc2(x))


model = SimpleNet()
print(model)

criterion = nn.BCELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)
inputs = torch.randn(32, 10)
labels = torch.rand(32, 1)
optimizer.zero_grad()
loss = criterion(model(inputs), labels)
loss.backward()
optimizer.step()

# (2) A tensor over a NumPy array.
x = torch.from_numpy(np.array([1, 2, 3, 4, 5]))
print(x)

# (3) A gradient.
x = torch.tensor([2.0], requires_grad=True)
y = x ** 2
y.backward()
print(x.grad)

"""The rest of "Learning PyTorch with Examples" (the Legendre Function and the nn version are in
fit_sin_polynomial and the custom-Function tests): the warm-up in NumPy, then the same kind of
network on tensors with hand-written backprop (clamp, .t(), mm, a boolean-mask write into the
gradient, in-place weight updates), and DynamicNet, whose forward picks a random depth with
random.randint and reuses one weight several times, trained with SGD momentum."""
import math
import random

import numpy as np
import torch

torch.manual_seed(0)
random.seed(0)
np.random.seed(0)

x = np.linspace(-math.pi, math.pi, 200)
y = np.sin(x)
a, b, c, d = np.random.randn(), np.random.randn(), np.random.randn(), np.random.randn()
learning_rate = 1e-6
for t in range(200):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = np.square(y_pred - y).sum()
    if t % 100 == 99:
        print(t, f"{loss:.4f}")
    grad_y_pred = 2.0 * (y_pred - y)
    a -= learning_rate * grad_y_pred.sum()
    b -= learning_rate * (grad_y_pred * x).sum()
    c -= learning_rate * (grad_y_pred * x ** 2).sum()
    d -= learning_rate * (grad_y_pred * x ** 3).sum()
print(f'Result: y = {a:.4f} + {b:.4f} x + {c:.4f} x^2 + {d:.4f} x^3')

dtype = torch.float
N, D_in, H, D_out = 64, 100, 50, 10
xs = torch.randn(N, D_in, dtype=dtype)
ys = torch.randn(N, D_out, dtype=dtype)
w1 = torch.randn(D_in, H, dtype=dtype)
w2 = torch.randn(H, D_out, dtype=dtype)
for t in range(100):
    h = xs.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - ys).pow(2).sum().item()
    if t % 25 == 24:
        print(t, f"{loss:.3f}")
    grad_y_pred = 2.0 * (y_pred - ys)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = xs.t().mm(grad_h)
    w1 -= 1e-6 * grad_w1
    w2 -= 1e-6 * grad_w2


xt = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
yt = torch.sin(xt)


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))
        self.e = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y


model = DynamicNet()
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
for t in range(300):
    y_pred = model(xt)
    loss = criterion(y_pred, yt)
    if t % 100 == 99:
        print(t, f"{loss.item():.3f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print('Result:', ', '.join(f'{n} = {p.item():.4f}' for n, p in model.named_parameters()))

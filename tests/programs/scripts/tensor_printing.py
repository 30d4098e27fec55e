"""What the tutorials print directly: tensors of each dtype and size (summarised ones too),
with grad_fn and requires_grad, parameters, modules, state_dict keys, and set_printoptions."""
import torch
import torch.nn as nn

torch.manual_seed(0)
print(torch.randn(2, 3))
print(torch.arange(12).reshape(3, 4))
print(torch.tensor([True, False]))
print(torch.tensor([1.5, -2.25, 1e-5]), torch.tensor([1e10, 1.0]))
print(torch.tensor(3.0), torch.tensor([], dtype=torch.int32))
x = torch.ones(2, 2, requires_grad=True)
y = x * 2 + 1
print(y)
print(y.mean())
print(torch.zeros(2, 3, dtype=torch.float64))
print(torch.randn(1, 2, 3))
print(torch.arange(2000.0))
print(torch.randn(30, 30)[:2, :8])
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.1), nn.Linear(3, 1, bias=False))
print(net)
print(net[0].bias)
print(list(net.state_dict().keys()))
torch.set_printoptions(precision=2)
print(torch.tensor([3.14159, 2.71828]))
torch.set_printoptions(profile="default")
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8), torch.tensor([0.1], dtype=torch.float16))
print(x.grad, y.grad_fn.name(), y.is_leaf, x.dtype, x.shape, x.size(1))
print(torch.linspace(0, 1, 5), torch.full((2,), 7))
print(torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0]))
print(torch.tensor([[1e-8, 1.0], [100.0, 12345.678]]))

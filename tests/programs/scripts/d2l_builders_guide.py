"""d2l.ai's builders' guide chapter: a custom MLP and MySequential keeping modules in
_modules, FixedHiddenMLP with a constant weight and Python control flow, nested blocks,
parameter access (net[2].state_dict(), bias.data, named_parameters, the nested names),
apply() with normal/constant/xavier/custom initialisers, tied layers sharing a parameter,
custom layers (CenteredLayer, MyLinear with nn.Parameter), lazy layers, and file I/O of a
tensor, a list, a dict and an MLP's parameters into buffers, checked by reloading."""
import io

import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))
X = torch.rand(2, 20)
print(net(X).shape)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.LazyLinear(256)
        self.out = nn.LazyLinear(10)

    def forward(self, X):
        return self.out(F.relu(self.hidden(X)))


class MySequential(nn.Module):
    def __init__(self, *args):
        super().__init__()
        for idx, module in enumerate(args):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in self.children():
            X = module(X)
        return X


class FixedHiddenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.rand_weight = torch.rand((20, 20))
        self.linear = nn.LazyLinear(20)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X /= 2
        return X.sum()


class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.LazyLinear(64), nn.ReLU(), nn.LazyLinear(32), nn.ReLU())
        self.linear = nn.LazyLinear(16)

    def forward(self, X):
        return self.linear(self.net(X))


print(MLP()(X).shape)
my = MySequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
print(my(X).shape, my)
print(FixedHiddenMLP()(X))
chimera = nn.Sequential(NestMLP(), nn.LazyLinear(20), FixedHiddenMLP())
print(chimera(X))
print(net[2].state_dict())
print(type(net[2].bias).__name__, net[2].bias.data, net[2].weight.grad is None)
print([(name, param.shape) for name, param in net.named_parameters()])


def get_block():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())


rgnet = nn.Sequential(nn.Sequential(*[get_block() for _ in range(2)]), nn.Linear(4, 1))
print(rgnet(torch.rand(2, 4)))
print(rgnet)
print(rgnet[0][1][0].bias.data)


def init_normal(module):
    if type(module) is nn.Linear:
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)


def init_constant(module):
    if type(module) is nn.Linear:
        nn.init.constant_(module.weight, 1)
        nn.init.zeros_(module.bias)


def init_xavier(module):
    if type(module) is nn.Linear:
        nn.init.xavier_uniform_(module.weight)


def init_42(module):
    if type(module) is nn.Linear:
        nn.init.constant_(module.weight, 42)


def my_init(module):
    if type(module) is nn.Linear:
        print("Init", *[(name, param.shape) for name, param in module.named_parameters()][0])
        nn.init.uniform_(module.weight, -10, 10)
        module.weight.data *= module.weight.data.abs() >= 5


net.apply(init_normal)
print(net[0].weight.data[0][:4], net[0].bias.data[0])
net.apply(init_constant)
print(net[0].weight.data[0][:4], net[0].bias.data[0])
net[0].apply(init_xavier)
net[2].apply(init_42)
print(net[0].weight.data[0][:4])
print(net[2].weight.data)
net.apply(my_init)
print(net[0].weight[:2, :5])
net[0].weight.data[:] += 1
net[0].weight.data[0, 0] = 42
print(net[0].weight.data[0, :5])

shared = nn.LazyLinear(8)
tied = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                     nn.LazyLinear(1))
tied(X)
print(tied[2].weight.data[0] == tied[4].weight.data[0])
tied[2].weight.data[0, 0] = 100
print(tied[2].weight.data[0] == tied[4].weight.data[0], len(list(tied.parameters())))
tied(X).sum().backward()
print(tied[2].weight.grad.shape, tied[2].weight.grad is tied[4].weight.grad)


class CenteredLayer(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, X):
        return X - X.mean()


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(units,))

    def forward(self, X):
        linear = torch.matmul(X, self.weight.data) + self.bias.data
        return F.relu(linear)


layer = CenteredLayer()
print(layer(torch.tensor([1.0, 2, 3, 4, 5])))
cnet = nn.Sequential(nn.LazyLinear(128), CenteredLayer())
Y = cnet(torch.rand(4, 8))
print(Y.mean().abs() < 1e-6, cnet[0])
linear = MyLinear(5, 3)
print(linear.weight, linear(torch.rand(2, 5)))
lazy = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
print(lazy[0].weight)
lazy(X)
print(lazy[0].weight.shape, lazy)

x = torch.arange(4)
buf = io.BytesIO()
torch.save(x, buf)
buf.seek(0)
print(torch.load(buf))
y = torch.zeros(4)
buf = io.BytesIO()
torch.save([x, y], buf)
buf.seek(0)
x2, y2 = torch.load(buf)
print(x2, y2)
mydict = {'x': x, 'y': y}
buf = io.BytesIO()
torch.save(mydict, buf)
buf.seek(0)
print(torch.load(buf))
mlp = MLP()
Y = mlp(X)
buf = io.BytesIO()
torch.save(mlp.state_dict(), buf)
buf.seek(0)
clone = MLP()
clone.load_state_dict(torch.load(buf))
print(clone.eval())
print(clone(X) == Y)

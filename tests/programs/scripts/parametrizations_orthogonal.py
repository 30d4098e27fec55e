"""An orthogonal RNN and orthogonal projections with torch.nn.utils.parametrizations.orthogonal:
the default matrix-exponential map on the square recurrent matrix, the Cayley map, the
Householder map on a tall projection with and without the dynamic trivialization, the weights
staying orthogonal through training, the state dict, and assigning a new orthogonal value."""
import torch
import torch.nn as nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import orthogonal

torch.manual_seed(11)


class OrthogonalRNN(nn.Module):
    def __init__(self, n_in, n_hidden, n_out, recurrent_map=None):
        super().__init__()
        self.inp = nn.Linear(n_in, n_hidden)
        self.rec = orthogonal(nn.Linear(n_hidden, n_hidden, bias=False),
                              orthogonal_map=recurrent_map)
        self.out = orthogonal(nn.Linear(n_hidden, n_out), orthogonal_map="householder",
                              use_trivialization=False)

    def forward(self, xs):
        h = torch.zeros(xs.shape[1], self.rec.weight.shape[0])
        for x in xs:
            h = torch.tanh(self.inp(x) + self.rec(h))
        return self.out(h)


xs = torch.randn(6, 4, 3)
target = torch.randn(4, 2)
for recurrent_map in (None, "cayley"):
    model = OrthogonalRNN(3, 5, 2, recurrent_map)
    print(type(model.rec.parametrizations.weight[0]).__name__,
          sorted(k for k in model.state_dict() if "rec" in k))
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for step in range(6):
        loss = (model(xs) - target).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        w, p = model.rec.weight, model.out.weight
        if step % 2 == 0:
            print(f"{recurrent_map} step {step} loss {loss.item():.5f} "
                  f"rec {torch.allclose(w @ w.T, torch.eye(5), atol=1e-5)} "
                  f"out {torch.allclose(p @ p.T, torch.eye(2), atol=1e-5)}")

tall = orthogonal(nn.Linear(3, 7, bias=False))
q = tall.weight
print("tall", tuple(q.shape), torch.allclose(q.T @ q, torch.eye(3), atol=1e-5),
      round(q.sum().item(), 4))
new = torch.linalg.qr(torch.randn(7, 3)).Q
tall.weight = new
print("assigned", torch.allclose(tall.weight, new, atol=1e-5), parametrize.is_parametrized(tall))

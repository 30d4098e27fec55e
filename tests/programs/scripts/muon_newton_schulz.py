"""A custom optimizer in the style of Muon (modded-nanoGPT): a torch.optim.Optimizer subclass
whose step runs under @torch.no_grad(), keeps a momentum buffer in self.state, applies Nesterov
momentum with lerp_, orthogonalizes the update of each 2-D weight with a quintic Newton-Schulz
iteration (X @ X.mT, the transposed case for tall matrices, addmm-style polynomials), scales
it by the shape, and hands the embeddings, gains and biases to AdamW; plus a closure-based
step and the optimizers' state_dict round trip."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def zeropower_via_newtonschulz5(G, steps=5):
    assert G.ndim >= 2
    a, b, c = (3.4445, -4.7750, 2.0315)
    X = G.float()
    if G.size(-2) > G.size(-1):
        X = X.mT
    X = X / (X.norm(dim=(-2, -1), keepdim=True) + 1e-7)
    for _ in range(steps):
        A = X @ X.mT
        B = b * A + c * A @ A
        X = a * X + B @ X
    if G.size(-2) > G.size(-1):
        X = X.mT
    return X


class Muon(torch.optim.Optimizer):
    def __init__(self, params, lr=0.02, weight_decay=0.0, momentum=0.95, nesterov=True, ns_steps=5):
        defaults = dict(
            lr=lr,
            weight_decay=weight_decay,
            momentum=momentum,
            nesterov=nesterov,
            ns_steps=ns_steps,
        )
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["momentum_buffer"] = torch.zeros_like(p.grad)
                buf = state["momentum_buffer"]
                buf.lerp_(p.grad, 1 - group["momentum"])
                g = p.grad.lerp(buf, group["momentum"]) if group["nesterov"] else buf
                g = zeropower_via_newtonschulz5(g, steps=group["ns_steps"])
                p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(g.view_as(p), alpha=-group["lr"] * max(1, p.size(-2) / p.size(-1)) ** 0.5)
        return loss


G = torch.randn(6, 4)
O = zeropower_via_newtonschulz5(G)
sv = torch.linalg.svdvals(O)
print("singular values after NS:", [round(s, 2) for s in sv.tolist()])
print("orthogonal-ish:", (O.mT @ O - torch.eye(4)).abs().max().item() < 0.4)

model = nn.Sequential(
    nn.Embedding(16, 32),
    nn.Linear(32, 64),
    nn.ReLU(),
    nn.Linear(64, 32),
    nn.LayerNorm(32),
    nn.Linear(32, 16),
)
hidden = [p for n, p in model.named_parameters() if p.ndim >= 2 and n.startswith(("1.", "3."))]
others = [
    p for n, p in model.named_parameters() if not (p.ndim >= 2 and n.startswith(("1.", "3.")))
]
print("muon params", [tuple(p.shape) for p in hidden], "adam params", len(others))
optimizers = [
    Muon(hidden, lr=0.02, momentum=0.95, weight_decay=0.01),
    torch.optim.AdamW(others, lr=3e-3, betas=(0.9, 0.95), weight_decay=0.0),
]
print(optimizers[0])
x = torch.randint(0, 16, (64,))
y = (x * 3 + 1) % 16
for step in range(30):
    loss = F.cross_entropy(model(x), y)
    for opt in optimizers:
        opt.zero_grad(set_to_none=True)
    loss.backward()
    for opt in optimizers:
        opt.step()
    if step % 6 == 0:
        print(f"step {step}: loss {loss.item():.4f}")
print("accuracy", (model(x).argmax(-1) == y).float().mean().item())


def closure():
    optimizers[0].zero_grad()
    out = F.cross_entropy(model(x), y)
    out.backward()
    return out


print("closure loss", round(optimizers[0].step(closure).item(), 4))
sd = optimizers[0].state_dict()
print(
    "state keys",
    sorted(sd["state"][0].keys()),
    "groups",
    sorted(k for k in sd["param_groups"][0] if k != "params"),
)
fresh = Muon(hidden, lr=0.5)
fresh.load_state_dict(sd)
print(
    "loaded lr",
    fresh.param_groups[0]["lr"],
    "same buffer",
    torch.equal(
        fresh.state[hidden[0]]["momentum_buffer"], optimizers[0].state[hidden[0]]["momentum_buffer"]
    ),
)

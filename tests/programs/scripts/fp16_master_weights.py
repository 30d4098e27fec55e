"""Mixed-precision training by hand, as before torch.amp (and as "from scratch" courses teach
it): float32 master weights, a float16 copy of the model for forward and backward, a dynamic
loss scale (multiply the loss, check the float16 gradients with torch.isfinite, skip the step
and halve the scale on overflow, grow it after a run of good steps), gradients unscaled into
the float32 masters, and the float16 model refreshed with copy_ under no_grad."""

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)
master = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))
half_model = copy.deepcopy(master).half()
print("dtypes", {p.dtype for p in master.parameters()}, {p.dtype for p in half_model.parameters()})
print("float16 range", torch.finfo(torch.float16).max, torch.finfo(torch.float16).eps)
X = torch.randn(64, 8)
y = (X[:, :3].sum(1) > 0).long() + (X[:, 3] > 1).long()
opt = torch.optim.SGD(master.parameters(), lr=0.1, momentum=0.9)
scale, good_steps, growth_interval = 2.0**16, 0, 5
for step in range(30):
    logits = half_model(X.half())
    loss = F.cross_entropy(logits.float(), y)
    half_model.zero_grad(set_to_none=True)
    (loss * scale).backward()
    grads = [p.grad for p in half_model.parameters()]
    finite = all(torch.isfinite(g).all() for g in grads)
    if not finite:
        scale /= 2
        good_steps = 0
        print(f"step {step}: overflow, scale -> {scale:.0f}")
        continue
    for p32, g16 in zip(master.parameters(), grads, strict=False):
        p32.grad = g16.float() / scale
    opt.step()
    with torch.no_grad():
        for p16, p32 in zip(half_model.parameters(), master.parameters(), strict=False):
            p16.copy_(p32)
    good_steps += 1
    if good_steps % growth_interval == 0:
        scale *= 2
    if step % 5 == 0:
        print(
            f"step {step}: loss {loss.item():.4f}, scale {scale:.0f}, grad dtype {grads[0].dtype}"
        )
with torch.no_grad():
    acc16 = (half_model(X.half()).argmax(1) == y).float().mean().item()
    acc32 = (master(X).argmax(1) == y).float().mean().item()
print(f"accuracy fp16 {acc16:.4f} fp32 {acc32:.4f}")
print(
    "weights agree to fp16 precision:",
    all(
        torch.allclose(a.float(), b, atol=1e-3)
        for a, b in zip(half_model.parameters(), master.parameters(), strict=False)
    ),
)
print("a half tensor:", half_model[0].weight[0, :4])

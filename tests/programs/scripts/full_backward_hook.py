"""Grad-CAM style gradient capture with register_full_backward_hook (F5)."""
import torch
import torch.nn as nn

torch.manual_seed(9)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
grads = {}
handle = model[2].register_full_backward_hook(
    lambda mod, gin, gout: grads.__setitem__("fc2", (gin[0].detach().clone(),
                                                     gout[0].detach().clone())))
model(torch.randn(3, 4)).sum().backward()
print([round(v, 4) for v in grads["fc2"][0][0].tolist()], grads["fc2"][1].tolist())
handle.remove()

"""The device-agnostic training boilerplate of modern scripts run on a CPU: device selection,
torch.autocast(device_type=device, enabled=False) around the forward, a GradScaler that
is disabled off CUDA (torch.amp.GradScaler for this device and for CUDA),
set_float32_matmul_precision and deterministic-algorithm switches."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(101)
device = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() \
    else "cpu"
torch.set_float32_matmul_precision("high")
torch.backends.cudnn.benchmark = True
torch.use_deterministic_algorithms(True)
model = nn.Sequential(nn.Linear(8, 32), nn.GELU(), nn.Linear(32, 3)).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, fused=False)
scaler = torch.amp.GradScaler(device, enabled=(device == "cuda"))
old_scaler = torch.amp.GradScaler("cuda", enabled=False)
x = torch.randn(32, 8, device=device)
y = torch.randint(0, 3, (32,), device=device)
for step in range(10):
    with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=False):
        logits = model(x)
        loss = F.cross_entropy(logits, y)
    opt.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    if step % 3 == 0:
        print(f"step {step} loss {loss.item():.5f} scale {scaler.get_scale()} "
              f"{old_scaler.is_enabled()}")
out = model(x)
print(out.dtype, torch.get_float32_matmul_precision(), torch.are_deterministic_algorithms_enabled())

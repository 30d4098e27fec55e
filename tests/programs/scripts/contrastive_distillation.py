"""SimCLR's NT-Xent loss over two noisy views (normalize, a masked similarity matrix, cross
entropy against the positive pair), then knowledge distillation of a small student from the
trained teacher (KLDivLoss with temperature, batchmean, and log_target)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(21)
x = torch.randn(32, 12)
encoder = nn.Sequential(nn.Linear(12, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 16))
opt = torch.optim.SGD(encoder.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    n = z1.shape[0]
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


for step in range(8):
    v1 = x + 0.1 * torch.randn_like(x)
    v2 = x * (torch.rand_like(x) > 0.2).float()
    loss = nt_xent(encoder(v1), encoder(v2))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 2 == 0:
        print(f"simclr step {step} loss {loss.item():.4f}")

teacher = nn.Sequential(encoder, nn.ReLU(), nn.Linear(16, 4))
labels = (x[:, 0] > 0).long() + 2 * (x[:, 1] > 0).long()
t_opt = torch.optim.Adam(teacher[2].parameters(), lr=0.05)
encoder.eval()
for _ in range(20):
    t_loss = F.cross_entropy(teacher(x), labels)
    t_opt.zero_grad()
    t_loss.backward()
    t_opt.step()
print(f"teacher loss {t_loss.item():.4f}")
student = nn.Sequential(nn.Linear(12, 8), nn.GELU(), nn.Linear(8, 4))
s_opt = torch.optim.Adam(student.parameters(), lr=0.02)
kl = nn.KLDivLoss(reduction="batchmean")
kl_log = nn.KLDivLoss(reduction="batchmean", log_target=True)
T = 2.0
with torch.no_grad():
    soft = teacher(x)
for step in range(15):
    logits = student(x)
    distill = kl(F.log_softmax(logits / T, dim=1), F.softmax(soft / T, dim=1)) * T * T
    hard = F.cross_entropy(logits, labels)
    loss = 0.7 * distill + 0.3 * hard
    s_opt.zero_grad()
    loss.backward()
    s_opt.step()
    if step % 5 == 0:
        same = kl_log(F.log_softmax(logits / T, 1), F.log_softmax(soft / T, 1)) * T * T
        print(f"distill step {step} kd {distill.item():.5f} ce {hard.item():.4f} "
              f"same {torch.allclose(same, distill)}")
agree = (student(x).argmax(1) == teacher(x).argmax(1)).float().mean()
print("agreement", round(agree.item(), 4))

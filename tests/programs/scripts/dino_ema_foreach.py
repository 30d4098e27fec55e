"""DINO self-distillation as its repository and timm's ModelEmaV3 write it: multi-crop views
from random resized crops (F.interpolate with antialias for the small crops), a projection head
with a weight-normalized last layer (weight_norm with its g frozen at 1), the teacher updated
by torch._foreach_mul_/_foreach_add_ over parameter lists under torch.no_grad, a centering
buffer updated by EMA, teacher temperature warmup with sharpening, cross-entropy between
softmaxed teacher and log-softmaxed student over all view pairs but same-view ones."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(16)


class DINOHead(nn.Module):
    def __init__(self, in_dim, out_dim, hidden=32, bottleneck=16):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.GELU(),
                                 nn.Linear(hidden, bottleneck))
        self.apply(self._init_weights)
        weight_norm = nn.utils.parametrizations.weight_norm
        self.last_layer = weight_norm(nn.Linear(bottleneck, out_dim, bias=False))
        self.last_layer.parametrizations.weight.original0.data.fill_(1)
        self.last_layer.parametrizations.weight.original0.requires_grad = False

    def _init_weights(self, m):
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.mlp(x)
        x = nn.functional.normalize(x, dim=-1, p=2)
        return self.last_layer(x)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                                 nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, x):
        return self.net(x)


class DINOLoss(nn.Module):
    def __init__(self, out_dim, ncrops, warmup_teacher_temp=0.04, teacher_temp=0.07,
                 warmup_epochs=3, nepochs=6, student_temp=0.1, center_momentum=0.9):
        super().__init__()
        self.student_temp, self.center_momentum, self.ncrops = student_temp, center_momentum, ncrops
        self.register_buffer("center", torch.zeros(1, out_dim))
        self.teacher_temp_schedule = torch.cat((
            torch.linspace(warmup_teacher_temp, teacher_temp, warmup_epochs),
            torch.ones(nepochs - warmup_epochs) * teacher_temp))

    def forward(self, student_output, teacher_output, epoch):
        student_out = (student_output / self.student_temp).chunk(self.ncrops)
        temp = self.teacher_temp_schedule[epoch]
        teacher_out = F.softmax((teacher_output - self.center) / temp, dim=-1).detach().chunk(2)
        total_loss, n_loss_terms = 0, 0
        for iq, q in enumerate(teacher_out):
            for v in range(len(student_out)):
                if v == iq:
                    continue
                loss = torch.sum(-q * F.log_softmax(student_out[v], dim=-1), dim=-1)
                total_loss += loss.mean()
                n_loss_terms += 1
        total_loss /= n_loss_terms
        self.update_center(teacher_output)
        return total_loss

    @torch.no_grad()
    def update_center(self, teacher_output):
        batch_center = torch.sum(teacher_output, dim=0, keepdim=True) / len(teacher_output)
        m = self.center_momentum
        self.center = self.center * m + batch_center * (1 - m)


def random_resized_crop(img, out, scale):
    _, h, w = img.shape
    area = h * w * (scale[0] + (scale[1] - scale[0]) * torch.rand(1).item())
    side = max(2, min(h, int(area ** 0.5)))
    top = torch.randint(0, h - side + 1, (1,)).item()
    left = torch.randint(0, w - side + 1, (1,)).item()
    crop = img[:, top:top + side, left:left + side].unsqueeze(0)
    return F.interpolate(crop, size=(out, out), mode="bilinear", align_corners=False,
                         antialias=side > out).squeeze(0)


def multi_crop(batch):
    views = [torch.stack([random_resized_crop(im, 16, (0.4, 1.0)) for im in batch])
             for _ in range(2)]
    views += [torch.stack([random_resized_crop(im, 8, (0.05, 0.4)) for im in batch])
              for _ in range(2)]
    return views


student = nn.Sequential(Backbone(), DINOHead(16, 10))
teacher = nn.Sequential(Backbone(), DINOHead(16, 10))
print(teacher.load_state_dict(student.state_dict()))
for p in teacher.parameters():
    p.requires_grad = False
print(student[1].last_layer)
criterion = DINOLoss(10, ncrops=4)
params = [p for p in student.parameters() if p.requires_grad]
opt = torch.optim.AdamW(params, lr=5e-3)
images = torch.rand(6, 3, 20, 20)
for epoch in range(4):
    crops = multi_crop(images)
    teacher_output = teacher(torch.cat(crops[:2]))
    student_output = torch.cat([student(c) for c in crops])
    loss = criterion(student_output, teacher_output, epoch)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        m = 0.9
        t_params = list(teacher.parameters())
        s_params = [p.detach() for p in student.parameters()]
        torch._foreach_mul_(t_params, m)
        torch._foreach_add_(t_params, s_params, alpha=1 - m)
    print(f"epoch {epoch} loss {loss.item():.5f} center {criterion.center.abs().sum().item():.5f} "
          f"temp {criterion.teacher_temp_schedule[epoch].item():.4f}")
g = teacher[1].last_layer.parametrizations.weight.original0
print(g.flatten()[:3], teacher[1].mlp[0].bias[:3])

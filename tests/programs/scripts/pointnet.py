"""A small PointNet classifier on synthetic point clouds (cubes versus spheres): a T-Net
predicting a 3x3 transform added to the identity and applied with bmm, shared MLPs as Conv1d
with kernel size 1, symmetric max pooling over points, and the feature-transform
regularizer ||I - A A^T||."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(97)


def make_clouds(n, pts=64):
    sphere = F.normalize(torch.randn(n, pts, 3), dim=2)
    cube = torch.rand(n, pts, 3) * 2 - 1
    face = torch.randint(0, 3, (n, pts))
    cube.scatter_(2, face.unsqueeze(2), torch.sign(torch.randn(n, pts, 1)))
    x = torch.cat([sphere, cube]).transpose(1, 2)
    y = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(n, dtype=torch.long)])
    return x, y


class TNet(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.k = k
        self.conv = nn.Sequential(nn.Conv1d(k, 16, 1), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.Conv1d(16, 32, 1), nn.BatchNorm1d(32), nn.ReLU())
        self.fc = nn.Linear(32, k * k)
        nn.init.zeros_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        h = torch.max(self.conv(x), 2, keepdim=False)[0]
        iden = torch.eye(self.k).flatten().repeat(x.size(0), 1)
        return (self.fc(h) + iden).view(-1, self.k, self.k)


class PointNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stn = TNet(3)
        self.conv1 = nn.Conv1d(3, 16, 1)
        self.fstn = TNet(16)
        self.conv2 = nn.Conv1d(16, 64, 1)
        self.bn1, self.bn2 = nn.BatchNorm1d(16), nn.BatchNorm1d(64)
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        trans = self.stn(x)
        x = torch.bmm(x.transpose(2, 1), trans).transpose(2, 1)
        x = F.relu(self.bn1(self.conv1(x)))
        trans_feat = self.fstn(x)
        x = torch.bmm(x.transpose(2, 1), trans_feat).transpose(2, 1)
        x = self.bn2(self.conv2(x))
        x = x.max(dim=2)[0]
        return F.log_softmax(self.head(x), dim=1), trans_feat


def feature_transform_regularizer(trans):
    d = trans.size(1)
    eye = torch.eye(d)[None, :, :]
    return torch.mean(torch.norm(torch.bmm(trans, trans.transpose(2, 1)) - eye, dim=(1, 2)))


x, y = make_clouds(16)
model = PointNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
for epoch in range(10):
    perm = torch.randperm(32)
    for i in range(0, 32, 16):
        idx = perm[i:i + 16]
        pred, tf = model(x[idx])
        loss = F.nll_loss(pred, y[idx]) + 0.001 * feature_transform_regularizer(tf)
        opt.zero_grad()
        loss.backward()
        opt.step()
    sched.step()
    if epoch % 3 == 0:
        acc = pred.data.max(1)[1].eq(y[idx]).cpu().sum().item() / 16
        print(f"epoch {epoch} loss {loss.item():.4f} acc {acc:.4f}")
model.eval()
with torch.no_grad():
    pred, _ = model(x)
print("train acc", pred.argmax(1).eq(y).float().mean().item())

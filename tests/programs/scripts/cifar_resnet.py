"""A CIFAR-style residual network on synthetic 16x16 colour images, written as the popular
pytorch-cifar training scripts are: BasicBlocks of 3x3 convolutions with BatchNorm and a
projection shortcut, kaiming_normal_ initialization, AdaptiveAvgPool2d and a Linear head;
random_split into train and validation, DataLoader with drop_last, CrossEntropyLoss with label
smoothing, SGD with Nesterov momentum and weight decay, CosineAnnealingLR; then the state dict
saved with torch.save, loaded into a fresh model and checked to give the same outputs."""

import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset, random_split


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1,
                               bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride,
                          bias=False),
                nn.BatchNorm2d(self.expansion * planes),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        out = F.relu(out)
        return out


class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super().__init__()
        self.in_planes = 8
        self.conv1 = nn.Conv2d(3, 8, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.layer1 = self._make_layer(block, 8, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 16, num_blocks[1], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.linear = nn.Linear(16 * block.expansion, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1] * (num_blocks - 1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.avgpool(out)
        out = torch.flatten(out, 1)
        return self.linear(out)


torch.manual_seed(0)
images = torch.randn(64, 3, 16, 16)
labels = torch.randint(0, 10, (64,))
images[torch.arange(64), labels % 3] += 1.0  # the class shows in one colour channel
dataset = TensorDataset(images, labels)
train_set, val_set = random_split(dataset, [48, 16], generator=torch.Generator().manual_seed(42))
print("train", len(train_set), "val", len(val_set), "first val index", val_set.indices[0])
trainloader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)
valloader = DataLoader(val_set, batch_size=8)

net = ResNet(BasicBlock, [1, 1])
print("parameters:", sum(p.numel() for p in net.parameters()),
      "buffers:", len(list(net.buffers())))
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=3)


def evaluate(model):
    model.eval()
    correct, total, outputs = 0, 0, []
    with torch.no_grad():
        for inputs, targets in valloader:
            out = model(inputs)
            outputs.append(out)
            _, predicted = out.max(1)
            total += targets.size(0)
            correct += predicted.eq(targets).sum().item()
    return correct, total, torch.cat(outputs)


for epoch in range(3):
    net.train()
    train_loss = 0
    for inputs, targets in trainloader:
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()
    scheduler.step()
    correct, total, _ = evaluate(net)
    print(f"epoch {epoch} loss {train_loss / len(trainloader):.4f} "
          f"val {correct}/{total} lr {scheduler.get_last_lr()[0]:.5f}")

print("bn1 running mean", net.bn1.running_mean[:3], "batches", net.bn1.num_batches_tracked)
_, _, outputs = evaluate(net)
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "ckpt.pth")
    torch.save({"net": net.state_dict(), "epoch": 3}, path)
    checkpoint = torch.load(path)
restored = ResNet(BasicBlock, [1, 1])
restored.load_state_dict(checkpoint["net"])
_, _, again = evaluate(restored)
print("restored epoch", checkpoint["epoch"], "same outputs:", torch.equal(outputs, again))

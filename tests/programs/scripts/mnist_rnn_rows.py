"""pytorch/examples' mnist_rnn in miniature: an LSTM reads each synthetic 8x8 image row by
row; Adadelta with StepLR, NLL loss, and an evaluation pass with summed loss and accuracy."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1)
images = torch.rand(96, 8, 8)
labels = (images[:, :4].mean(dim=(1, 2)) > images[:, 4:].mean(dim=(1, 2))).long()
labels += 2 * (images[:, :, :4].sum(dim=(1, 2)) > images[:, :, 4:].sum(dim=(1, 2))).long()
train = DataLoader(TensorDataset(images[:64], labels[:64]), batch_size=16, shuffle=True)
test = DataLoader(TensorDataset(images[64:], labels[64:]), batch_size=32)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(input_size=8, hidden_size=24, batch_first=True)
        self.batchnorm = nn.BatchNorm1d(24)
        self.dropout1 = nn.Dropout(0.0)
        self.fc1 = nn.Linear(24, 16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, input):
        input = input.reshape(-1, 8, 8)
        output, hidden = self.rnn(input)
        output = output[:, -1, :]
        output = self.batchnorm(output)
        output = self.dropout1(output)
        output = F.relu(self.fc1(output))
        return F.log_softmax(self.fc2(output), dim=1)


model = Net()
optimizer = optim.Adadelta(model.parameters(), lr=1.0)
scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
for epoch in range(1, 4):
    model.train()
    for batch_idx, (data, target) in enumerate(train):
        optimizer.zero_grad(set_to_none=True)
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % 2 == 0:
            seen, total = batch_idx * len(data), len(train.dataset)
            print(f"Train Epoch: {epoch} [{seen}/{total} "
                  f"({100. * batch_idx / len(train):.0f}%)]\tLoss: {loss.item():.6f}")
    model.eval()
    test_loss = correct = 0
    with torch.no_grad():
        for data, target in test:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            correct += (output.argmax(dim=1) == target).sum().item()
    n = len(test.dataset)
    test_loss /= n
    print(f"Test set: Average loss: {test_loss:.4f}, Accuracy: {correct}/{n} "
          f"({100. * correct / n:.0f}%)")
    scheduler.step()

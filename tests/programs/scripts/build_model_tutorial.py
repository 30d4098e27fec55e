"""The "Build the Neural Network" and "Transforms" tutorials as printed: the device picked
through torch.accelerator (falling back to cpu), the Flatten + linear_relu_stack model as a
Sequential of named children, predicted probabilities through nn.Softmax(dim=1), each layer
applied to a minibatch, every named parameter printed with its first two rows, a Lambda target
transform one-hot encoding a label with scatter_(value=1) (a 1-element index), and training on
those one-hot targets (cross entropy with class probabilities)."""
from collections import OrderedDict

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
device = (torch.accelerator.current_accelerator().type if torch.accelerator.is_available()
          else "cpu")
print(f"Using {device} device")


# The tutorial's NeuralNetwork (flatten + linear_relu_stack) is in quickstart_classifier; here
# the same layers as a Sequential of named children.
model = nn.Sequential(OrderedDict(flatten=nn.Flatten(), linear_relu_stack=nn.Sequential(
    nn.Linear(28 * 28, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)))).to(device)
print(model)
X = torch.rand(1, 28, 28, device=device)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
input_image = torch.rand(3, 28, 28)
print(input_image.size())
flatten = nn.Flatten()
flat_image = flatten(input_image)
print(flat_image.size())
layer1 = nn.Linear(in_features=28 * 28, out_features=20)
hidden1 = layer1(flat_image)
print(hidden1.size())
print(f"Before ReLU: {hidden1}\n\n")
hidden1 = nn.ReLU()(hidden1)
print(f"After ReLU: {hidden1}")
seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(20, 10))
logits = seq_modules(input_image)
softmax = nn.Softmax(dim=1)
pred_probab = softmax(logits)
print(pred_probab.sum(1), softmax)
print(f"Model structure: {model}\n\n")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")


class Lambda:
    def __init__(self, fn):
        self.fn = fn

    def __call__(self, x):
        return self.fn(x)


target_transform = Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(
    0, torch.tensor([y]), value=1))
print(target_transform(3), target_transform(9))


class Digits(Dataset):
    def __init__(self, n, transform=None, target_transform=None):
        self.labels = torch.randint(0, 10, (n,))
        self.images = torch.rand(n, 1, 28, 28) * 0.2
        for i, c in enumerate(self.labels.tolist()):
            self.images[i, 0, c * 2: c * 2 + 3] += 0.8
        self.transform, self.target_transform = transform, target_transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        image, label = self.images[idx], int(self.labels[idx])
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


train_dataloader = DataLoader(Digits(256, target_transform=target_transform), batch_size=32,
                              shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-1)
for epoch in range(3):
    total = 0.0
    for X, y_onehot in train_dataloader:
        loss = nn.functional.cross_entropy(model(X), y_onehot)  # class probabilities as targets
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(X)
    print(f"epoch {epoch + 1}: loss {total / len(train_dataloader.dataset):>8f}")
print("Done!")

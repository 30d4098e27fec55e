"""The saving-and-loading recipes in every form, into io.BytesIO buffers: a state_dict, the
whole pickled model (weights_only=False), a general checkpoint with the optimizer, several
models in one file, warm-starting a different model with strict=False and reading its
missing/unexpected keys, tensors sharing storage saved together, a dict of tensors and
Python values, map_location, and the printed state_dict and optimizer state_dict."""
# ruff: noqa: UP008
import copy
import io

import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)


class TheModelClass(nn.Module):
    def __init__(self):
        super(TheModelClass, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.bn = nn.BatchNorm2d(6)
        self.fc1 = nn.Linear(6 * 6 * 6, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv1(x))))
        return self.fc1(x.flatten(1))


model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
x = torch.randn(4, 3, 16, 16)
loss = model(x).pow(2).mean()
loss.backward()
optimizer.step()
print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name] if var_name == "param_groups" else
          sorted(optimizer.state_dict()[var_name]))

buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
model2 = TheModelClass()
print(model2.load_state_dict(torch.load(buf, weights_only=True)))
model2.eval()
model.eval()
print(torch.equal(model(x), model2(x)), model2.bn.num_batches_tracked)

buf = io.BytesIO()
torch.save(model, buf)
buf.seek(0)
torch.serialization.add_safe_globals([TheModelClass])
whole = torch.load(buf, weights_only=False)
print(type(whole).__name__, whole.training, torch.equal(whole(x), model(x)))

buf = io.BytesIO()
torch.save({'epoch': 3, 'model_state_dict': model.state_dict(),
            'optimizer_state_dict': optimizer.state_dict(), 'loss': loss}, buf)
buf.seek(0)
checkpoint = torch.load(buf, weights_only=True)
model3 = TheModelClass()
optimizer3 = optim.SGD(model3.parameters(), lr=0.5)
model3.load_state_dict(checkpoint['model_state_dict'])
optimizer3.load_state_dict(checkpoint['optimizer_state_dict'])
print(checkpoint['epoch'], checkpoint['loss'], optimizer3.param_groups[0]['lr'])
print(sorted(checkpoint.keys()), len(optimizer3.state))
m_buf = optimizer3.state[optimizer3.param_groups[0]['params'][0]]['momentum_buffer']
print(torch.allclose(m_buf, model.conv1.weight.grad))

modelA, modelB = nn.Linear(4, 2), nn.Linear(2, 1)
buf = io.BytesIO()
torch.save({'modelA_state_dict': modelA.state_dict(),
            'modelB_state_dict': modelB.state_dict()}, buf)
buf.seek(0)
both = torch.load(buf)
print(list(both), both['modelB_state_dict'])


class Bigger(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.head = nn.Linear(6, 2)


netB = Bigger()
result = netB.load_state_dict(model.state_dict(), strict=False)
print(result.missing_keys)
print(result.unexpected_keys)
print(torch.equal(netB.conv1.weight, model.conv1.weight))
try:
    netB.load_state_dict(model.state_dict())
except RuntimeError as e:
    print(str(e).splitlines()[0])

big = torch.arange(10.)
small = big[:3]
buf = io.BytesIO()
torch.save([big, small], buf)
buf.seek(0)
lb, ls = torch.load(buf)
ls[0] = 100.
print(lb[:4], ls, ls.storage_offset())

buf = io.BytesIO()
torch.save({'names': ['a', 'b'], 'scale': 0.5, 'ids': torch.tensor([1, 2], dtype=torch.int32),
            'mask': torch.tensor([True, False])}, buf)
buf.seek(0)
obj = torch.load(buf, map_location=torch.device('cpu'))
print(obj)
buf.seek(0)
obj = torch.load(buf, map_location='cpu')
print(obj['ids'].dtype, obj['mask'].dtype)
best = copy.deepcopy(model.state_dict())
with torch.no_grad():
    model.fc1.weight.add_(1.0)
print(torch.equal(best['fc1.weight'] + 1, model.fc1.weight))
model.load_state_dict(best)
print(torch.equal(best['fc1.weight'], model.fc1.weight),
      model.fc1.weight.data_ptr() != best['fc1.weight'].data_ptr())

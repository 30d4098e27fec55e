"""NumPy interop as data code uses it: from_numpy sharing memory both ways, .numpy() views,
as_tensor, the dtypes given to NumPy scalars and arrays, mixed tensor/NumPy arithmetic, and
Python number conversions."""
import numpy as np
import torch

torch.manual_seed(47)
a = np.arange(6, dtype=np.float32).reshape(2, 3)
t = torch.from_numpy(a)
a[0, 0] = 10.0
print(t[0, 0].item(), t.dtype, torch.as_tensor(a).dtype, torch.as_tensor([1, 2]).dtype)
n = t.numpy()
t.add_(1)
print(n[0].tolist(), np.asarray(t).shape, type(t.tolist()).__name__)
print(torch.tensor(np.float64(2.5)).dtype, torch.tensor(np.array([1, 2], np.int32)).dtype,
      torch.tensor(np.bool_(True)).dtype, torch.from_numpy(np.zeros(2, np.uint8)).dtype)
print(torch.tensor([np.float32(1.5), 2]).dtype, (t * np.float64(2)).dtype,
      (torch.ones(2, dtype=torch.int64) * np.float64(2)).dtype)
x = torch.randn(3, 4)
print(x.numpy().dtype, float(x[0, 0]) == x[0, 0].item(), int(torch.tensor(7)),
      bool(torch.tensor(1)))


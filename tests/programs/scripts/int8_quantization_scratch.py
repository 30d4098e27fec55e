"""Weight quantization written from scratch as in LLM-quantization tutorials: absmax and
zero-point int8 quantization with round/clamp/to(torch.int8), per-tensor and per-channel
(per-row) scales, dequantization error, LLM.int8()-style mixed decomposition (outlier
feature columns kept in float, the rest as int8 x int8 accumulated in int32), a
QuantLinear module holding int8 weights in buffers, and perplexity-style loss of a small
trained model before and after quantization."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def absmax_quantize(X, dim=None):
    amax = X.abs().max() if dim is None else X.abs().amax(dim=dim, keepdim=True)
    scale = 127 / amax
    X_quant = (scale * X).round().clamp(-128, 127).to(torch.int8)
    return X_quant, X_quant.float() / scale


def zeropoint_quantize(X):
    x_range = torch.max(X) - torch.min(X)
    x_range = 1 if x_range == 0 else x_range
    scale = 255 / x_range
    zeropoint = (-scale * torch.min(X) - 128).round()
    X_quant = torch.clip((X * scale + zeropoint).round(), -128, 127).to(torch.int8)
    return X_quant, (X_quant - zeropoint) / scale


W = torch.randn(4, 6) * 0.5
W[1, 2] = 4.0  # one outlier
for name, fn in [("absmax", absmax_quantize), ("zeropoint", zeropoint_quantize)]:
    q, deq = fn(W)
    print(
        f"{name}: dtype {q.dtype}, row 0 {q[0].tolist()},",
        f"max error {(W - deq).abs().max().item():.5f}",
    )
q_rows, deq_rows = absmax_quantize(W, dim=1)
print(
    "per-row absmax error",
    (W - deq_rows).abs().max().item() < (W - absmax_quantize(W)[1]).abs().max().item(),
)
print("int8 range", q_rows.min().item(), q_rows.max().item(), q_rows.element_size(), "byte(s) each")


def int8_matmul_mixed(x, w, threshold=2.5):
    """LLM.int8(): outlier input features in float, the rest through int8 with int32 sums."""
    outliers = (x.abs() > threshold).any(dim=0)
    x_q, x_scale = absmax_quantize_rows(x[:, ~outliers])
    w_q, w_scale = absmax_quantize_rows(w[:, ~outliers])
    acc = x_q.to(torch.int32) @ w_q.to(torch.int32).T
    regular = acc.float() / (x_scale * w_scale.T)
    return regular + x[:, outliers] @ w[:, outliers].T, int(outliers.sum())


def absmax_quantize_rows(t):
    scale = 127 / t.abs().amax(dim=1, keepdim=True).clamp(min=1e-8)
    return (t * scale).round().clamp(-127, 127).to(torch.int8), scale


x = torch.randn(5, 6)
x[:, 3] *= 8  # an outlier feature column, as in large LMs
y_mixed, n_out = int8_matmul_mixed(x, W)
print(
    f"outlier columns {n_out}, mixed int8 matmul error {(y_mixed - x @ W.T).abs().max().item():.5f}"
)
q32 = torch.tensor([[100, -100]], dtype=torch.int8).to(torch.int32)
print(
    "int32 accumulation",
    (q32 @ q32.T).item(),
    "int8 wraps",
    (torch.tensor([100], dtype=torch.int8) * 2).item(),
)


class QuantLinear(nn.Module):
    def __init__(self, linear: nn.Linear):
        super().__init__()
        w_q, scale = absmax_quantize_rows(linear.weight.detach())
        self.register_buffer("weight_int8", w_q)
        self.register_buffer("scale", scale)
        self.bias = nn.Parameter(linear.bias.detach().clone()) if linear.bias is not None else None

    def forward(self, x):
        w = self.weight_int8.float() / self.scale
        return F.linear(x, w, self.bias)

    def extra_repr(self):
        return f"in={self.weight_int8.shape[1]}, out={self.weight_int8.shape[0]}, int8"


model = nn.Sequential(nn.Embedding(20, 32), nn.Linear(32, 64), nn.GELU(), nn.Linear(64, 20))
data = torch.randint(0, 20, (256,))
target = (data * 7 + 3) % 20
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for _step in range(40):
    opt.zero_grad()
    loss = F.cross_entropy(model(data), target)
    loss.backward()
    opt.step()
print(f"trained loss {loss.item():.4f}")
size_fp32 = sum(p.numel() * p.element_size() for p in model.parameters())
qmodel = nn.Sequential(model[0], QuantLinear(model[1]), model[2], QuantLinear(model[3]))
size_q = sum(b.numel() * b.element_size() for b in qmodel.buffers()) + sum(
    p.numel() * p.element_size() for p in qmodel.parameters()
)
print(qmodel)
with torch.no_grad():
    l_fp, l_q = F.cross_entropy(model(data), target), F.cross_entropy(qmodel(data), target)
    agree = (model(data).argmax(-1) == qmodel(data).argmax(-1)).float().mean()
print(
    f"loss fp32 {l_fp.item():.5f} int8 {l_q.item():.5f},",
    f"ppl ratio {torch.exp(l_q - l_fp).item():.5f}",
)
print(f"size {size_fp32} -> {size_q} bytes, argmax agreement {agree.item():.4f}")
print(
    "state dict",
    {k: (tuple(v.shape), str(v.dtype)) for k, v in qmodel.state_dict().items() if "1." in k},
)

"""A numerical test-suite helper file in the style of research repos: torch.testing.assert_close
with rtol/atol, equal_nan, check_dtype and its AssertionError messages (printed), allclose and
isclose with equal_nan, nan_to_num with custom replacements, and finite-difference gradient
checks written by hand."""

import math

import torch
from torch.testing import assert_close

torch.manual_seed(12)


def report(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
        print("  passed")
    except AssertionError as e:
        lines = str(e).splitlines()
        print("  AssertionError:", lines[0])
        for line in lines[1:]:
            print("   ", line)
    except (TypeError, ValueError, RuntimeError) as e:
        print(" ", type(e).__name__ + ":", str(e).splitlines()[0])


a = torch.tensor([1.0, 2.0, 3.0, 4.0])
b = a + torch.tensor([0.0, 1e-7, 0.0, 0.5])
print("assert_close equal")
report(assert_close, a, a.clone())
print("assert_close mismatch")
report(assert_close, a, b)
print("assert_close loose")
report(assert_close, a, b, rtol=0.2, atol=0.0)
print("assert_close nan")
n1 = torch.tensor([1.0, float("nan")])
report(assert_close, n1, n1.clone())
report(assert_close, n1, n1.clone(), equal_nan=True)
print("assert_close dtype")
report(assert_close, a, a.double())
report(assert_close, a, a.double(), check_dtype=False)
print("assert_close shape")
report(assert_close, a, a[:3])
print("assert_close ints")
report(assert_close, torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4]))
print("assert_close 2d")
m = torch.randn(3, 4)
m2 = m.clone()
m2[1, 2] += 1e-3
m2[2, 0] -= 2e-3
report(assert_close, m2, m)
print("assert_close python scalars and lists")
report(assert_close, 1.0, 1.0 + 1e-9)
report(assert_close, [a, a], [a, b])
report(assert_close, {"w": a}, {"w": a})
print("assert_close msg")
report(assert_close, a, b, msg="weights diverged")
print("assert_close inf")
report(assert_close, torch.tensor([float("inf")]), torch.tensor([float("inf")]))

x = torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), 1e-9])
y = torch.tensor([1.0 + 1e-6, float("nan"), float("inf"), float("inf"), 0.0])
print("isclose", torch.isclose(x, y))
print("isclose equal_nan", torch.isclose(x, y, equal_nan=True))
print("isclose atol", torch.isclose(x, y, rtol=0, atol=1e-8))
print("allclose", torch.allclose(x[:2], y[:2]), torch.allclose(x[:2], y[:2], equal_nan=True))
print("allclose ints", torch.allclose(torch.tensor([1, 2]), torch.tensor([1, 2])))
print("nan_to_num", torch.nan_to_num(x))
print("nan_to_num custom", torch.nan_to_num(x, nan=0.0, posinf=1e3, neginf=-1e3))
print("nan_to_num half max", torch.nan_to_num(x.half()))
print("nan_to_num int untouched", torch.nan_to_num(torch.tensor([1, 2])))
z = x.clone()
z.nan_to_num_(nan=-1.0)
print("in place", z)


def numeric_grad(f, x, eps=1e-6):
    g = torch.zeros_like(x)
    flat = x.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        fp = f(x).item()
        flat[i] = old - eps
        fm = f(x).item()
        flat[i] = old
        g.view(-1)[i] = (fp - fm) / (2 * eps)
    return g


def loss(w):
    return (torch.tanh(w @ w.T) ** 2).sum() + torch.logsumexp(w, dim=1).sum()


w = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(loss(w), w)
with torch.no_grad():
    gn = numeric_grad(loss, w.detach().clone())
print("fd grad check")
report(assert_close, g, gn, rtol=1e-5, atol=1e-7)
print("max abs diff", f"{(g - gn).abs().max().item():.2e}", math.isfinite(g.sum().item()))

"""In-place programs on views, each written once against a module ``T`` (torch or eager):
the tests run every one through both and compare what it returns.

Each scenario returns a dict of named results: tensors (compared by value), strings (grad_fn
names, compared as text). The inputs come from ``start(T)``: the same float64 values in
both (seeded NumPy), ``x`` a leaf that requires grad.
"""

from __future__ import annotations

import numpy as np


def start(T, shape=(3, 4)):
    values = np.random.default_rng(0).standard_normal(shape)
    return T.tensor(values, dtype=T.float64, requires_grad=True)


def _name(t) -> str:
    return type(t.grad_fn).__name__


def column_mul(T):
    x = start(T)
    y = x * 1
    v = y[:, 1]
    v.mul_(2)
    names = {"base": _name(y), "view": _name(v)}
    (y * y).sum().backward()
    return {**names, "y": y, "grad": x.grad}


def augmented_slice(T):  # h[:, 1] += 1: a view written, then assigned back
    x = start(T)
    h = x * 3
    h[:, 1] += 1
    (h ** 2).sum().backward()
    return {"h": h, "grad": x.grad}


def ellipsis_mul(T):  # y[..., :2].mul_(2)
    x = start(T)
    y = x.exp()
    y2 = y * 1
    y2[..., :2].mul_(2)
    (y2 * x).sum().backward()
    return {"y": y2, "grad": x.grad, "base": _name(y2)}


def relu_inplace_view(T):  # F.relu(x[:, :k], inplace=True)
    x = start(T)
    y = x * 2
    T.nn.functional.relu(y[:, :2], inplace=True)
    (y * y).sum().backward()
    return {"y": y, "grad": x.grad}


def reshape_index_put(T):  # d2l's masked_softmax: X.reshape(-1)[mask] = -1e6
    x = start(T)
    scores = x * 1
    flat = scores.reshape(-1, 4)
    mask = T.arange(4)[None, :] < T.tensor([1, 2, 3])[:, None]
    flat[~mask] = -1e6
    out = T.softmax(flat.reshape(3, 4), dim=-1)
    (out * T.arange(4.0, dtype=T.float64)).sum().backward()
    return {"out": out, "grad": x.grad}


def flat_view_setitem(T):  # x.view(-1)[idx] = v, v requires grad
    x = start(T)
    w = T.tensor([5.0, 7.0], dtype=T.float64, requires_grad=True)
    y = x * 1
    y.view(-1)[T.tensor([1, 6])] = w
    (y * y).sum().backward()
    return {"y": y, "grad": x.grad, "w_grad": w.grad}


def diagonal_fill(T):
    x = start(T, (3, 3))
    y = x * 2
    y.diagonal().fill_(0)
    names = {"base": _name(y)}
    (y * x).sum().backward()
    return {**names, "y": y, "grad": x.grad}


def diagonal_add(T):
    x = start(T, (3, 3))
    y = x.sin()
    y.diagonal().add_(1)
    y.sum().backward()
    return {"y": y, "grad": x.grad}


def transpose_mul(T):
    x = start(T)
    y = x + 0
    y.t().mul_(x.t())
    names = {"view_of_t": _name(y)}
    y.sum().backward()
    return {**names, "y": y, "grad": x.grad}


def view_of_view_twice(T):  # a view of a view, written twice
    x = start(T)
    y = x * 1
    v = y.reshape(12)[2:8].view(2, 3)
    v.mul_(x[0, :3])
    v.add_(1)
    names = {"view": _name(v), "base": _name(y)}
    (v.sum() + (y ** 2).sum()).backward()
    return {**names, "y": y, "grad": x.grad}


def other_view_stale(T):  # a view made before a write through another view, used after it
    x = start(T)
    y = x * 1
    p = y[0]
    q = y[0:2]
    q.mul_(3)
    (p * p).sum().backward()
    return {"p": p, "grad": x.grad}


def used_before_and_after(T):  # uses of a value both before and after a write into it
    x = start(T)
    y = x * 1
    before = (y * 2).sum()  # saves no y: the write after it is no error
    y[1].mul_(5)
    after = (y * 2).sum()
    (before + after).backward()
    return {"grad": x.grad}


def constant_base(T):  # a base with no grad written through a view with a value needing one
    w = start(T, (2,))
    z = T.zeros(4, dtype=T.float64)
    z[1:3].add_(w)
    names = {"base": _name(z)}
    (z * T.arange(4.0, dtype=T.float64)).sum().backward()
    return {**names, "z": z, "grad": w.grad}


def retain_twice(T):  # backward twice through CopySlices with retain_graph
    x = start(T)
    y = x * 1
    y[:, 0].mul_(x[:, 1])
    loss = (y ** 2).sum()
    loss.backward(retain_graph=True)
    first = x.grad.clone()
    loss.backward()
    return {"first": first, "grad": x.grad}


def double_backward(T):  # create_graph through CopySlices and AsStrided
    x = start(T)
    y = x * 1
    v = y[1]
    v.mul_(x[1])
    (g,) = T.autograd.grad((y ** 3).sum(), x, create_graph=True)
    g.sum().backward()
    return {"g": g, "grad": x.grad}


def detached_view(T):
    x = start(T)
    y = x * 1
    z = y.detach()
    z[0].mul_(2)
    return {"requires_grad": str(z.requires_grad), "y": y}


def base_written_after_view(T):  # the base written in place: an older view regenerated
    x = start(T)
    y = x * 1
    v = y[1:]
    y.mul_(2)
    (v ** 2).sum().backward()
    return {"v": v, "grad": x.grad}


def fills_named(T):  # fill_/zero_ of a recorded tensor, by a number or a tensor
    x = start(T, (3,))
    names = {}
    for key, write in {"number": lambda y: y.fill_(2.0), "zero": lambda y: y.zero_(),
                       "tensor": lambda y: y.fill_(x[0])}.items():
        y = x * 1
        write(y)
        names[key] = _name(y)
    (y * x).sum().backward()
    return {**names, "grad": x.grad}


def edges_as_recorded(T):  # next_functions of an entry show the producer it used
    x = start(T, (3,))
    y = x * 2
    z = y + 1
    y.mul_(3)
    (old, _), _ = z.grad_fn.next_functions
    return {"old_is_current": str(old is y.grad_fn), "old": type(old).__name__,
            "older": type(old.next_functions[0][0]).__name__}


def _double_in_place(ctx, x):
    ctx.mark_dirty(x)
    return x.mul_(2)


def dirty_input_used_before(T):  # mark_dirty rebases its input; an earlier use keeps the old
    Double = type("Double", (T.autograd.Function,), {
        "forward": staticmethod(_double_in_place),
        "backward": staticmethod(lambda ctx, g: g * 2)})
    x = start(T, (3,))
    y = x * 1
    z = y + 1
    out = Double.apply(y)
    (z.sum() + (out * out).sum()).backward()
    return {"out": out, "grad": x.grad}


SCENARIOS = [column_mul, augmented_slice, ellipsis_mul, relu_inplace_view, reshape_index_put,
             flat_view_setitem, diagonal_fill, diagonal_add, transpose_mul, view_of_view_twice,
             other_view_stale, used_before_and_after, constant_base, retain_twice,
             double_backward, detached_view, base_written_after_view, fills_named,
             edges_as_recorded, dirty_input_used_before]

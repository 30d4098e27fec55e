"""Graph values behave like tensors (issue 17): every public method and operator of eager's
Tensor exists on static Nodes, from the one table in shared_ops.tensor_api, with PyTorch's
signatures; the few a graph value cannot perform raise, naming what to do instead.

Each method traced on a placeholder of unknown batch computes what PyTorch's does."""

import operator

import numpy as np
import pytest

import eager
import static
from shared_ops.tensor_api import METHODS, MODE_SPECIFIC
from static.node_methods import UNSUPPORTED

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(17)
X = RNG.standard_normal((3, 4, 5)).astype(np.float32)


def public(cls) -> set[str]:
    """Public methods and attributes, and the dunders a class adds to object's."""
    return {n for n in dir(cls) if not n.startswith("_")
            or (n.startswith("__") and n.endswith("__") and n not in dir(object))}


def test_graph_values_have_every_method_of_eager_tensors():
    missing = sorted(public(eager.Tensor) - public(static.Node) - {"__slots__", "__module__",
                                                                   "__weakref__"})
    assert not missing, f"eager Tensor methods missing on graph values: {missing}"


def test_the_table_and_the_modes_own_methods_cover_each_other():
    assert not set(METHODS) & set(MODE_SPECIFIC)
    node = public(static.Node)
    assert all(getattr(static.Node, n) is not getattr(object, n, None) for n in METHODS)
    assert {n for n in MODE_SPECIFIC if not n.startswith("__")} <= node
    # A short list, each entry performing nothing but its error.
    assert len(UNSUPPORTED) <= 20 and set(UNSUPPORTED) <= node | {"__iter__"}


def _node():
    with static.Graph():
        return static.placeholder((None, 4), name="x") * 1.0


CALLS = {
    "item": lambda x: x.item(), "tolist": lambda x: x.tolist(), "numpy": lambda x: x.numpy(),
    "data_ptr": lambda x: x.data_ptr(),
    "allclose": lambda x: x.allclose(x), "equal": lambda x: x.equal(x),
    "__bool__": bool, "__float__": float, "__int__": int, "__index__": operator.index,
    "__array__": np.asarray, "backward": lambda x: x.backward(),
    "register_hook": lambda x: x.register_hook(print), "retain_grad": lambda x: x.retain_grad(),
    "requires_grad_": lambda x: x.requires_grad_(), "grad": lambda x: x.grad,
    "uniform_": lambda x: x.uniform_(), "normal_": lambda x: x.normal_(), "__iter__": iter,
    "to_sparse": lambda x: x.to_sparse(),
}
ADVICE = {"backward": "static.gradients", "grad": "static.gradients", "item": "Session.run",
          "uniform_": "eager mode", "__iter__": "unbind", "__bool__": "static.cond"}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_what_a_graph_value_cannot_do_raises_naming_the_alternative(name):
    x = _node()
    with pytest.raises(TypeError) as info:
        CALLS[name](x)
    message = str(info.value)
    assert "%mul" in message
    assert ADVICE.get(name, "") in message
    if name != "__iter__":
        assert "test_tensor_methods_static.py" in message  # the user's line


# (method, args, kwargs): torch's method with torch's arguments on a (3, 4, 5) float32 value.
CASES = [
    ("sum", (), {"dim": 1, "keepdim": True}), ("sum", ((0, 2),), {}), ("sum", (), {}),
    ("sum", (-1,), {"dtype": torch.float64}), ("mean", (-1,), {}), ("mean", (), {"dim": [0, 1]}),
    ("max", (), {}), ("max", (1,), {}), ("min", (-1, True), {}), ("amax", ((0, 2),), {}),
    ("amin", (), {}), ("argmax", (), {"dim": -1}), ("argmin", (1, True), {}),
    ("var", (1,), {"unbiased": False}), ("std", (), {}), ("logsumexp", (2,), {}),
    ("all", (), {}), ("any", (1,), {}), ("prod", (1,), {}), ("norm", (), {}),
    ("softmax", (-1,), {}), ("log_softmax", (), {"dim": 1}), ("cumsum", (1,), {}),
    ("sort", (), {"dim": 1}), ("argsort", (-1,), {"descending": True}), ("topk", (2,), {}),
    ("view", (-1, 20), {}), ("view", ((3, 20),), {}), ("reshape", (3, -1, 2), {}),
    ("flatten", (), {}), ("flatten", (1,), {}), ("unflatten", (2, (5, 1)), {}),
    ("transpose", (1, 2), {}), ("transpose", (-1, 0), {}), ("swapaxes", (0, 1), {}),
    ("permute", (2, 0, 1), {}), ("permute", ((1, 2, 0),), {}), ("mT", None, {}),
    ("unsqueeze", (-1,), {}), ("squeeze", (1,), {}), ("expand", (2, -1, -1, -1), {}),
    ("split", (2,), {"dim": 1}), ("split", ([1, 4],), {"dim": -1}), ("chunk", (2, 1), {}),
    ("unbind", (1,), {}), ("repeat", (1, 2, 1), {}), ("flip", (0, 2), {}), ("roll", (1, 2), {}),
    ("narrow", (2, 1, 3), {}), ("tril", (), {}), ("triu", (1,), {}),
    ("float", (), {}), ("double", (), {}), ("long", (), {}), ("int", (), {}), ("bool", (), {}),
    ("to", (torch.float64,), {}), ("to", ("cpu",), {}), ("type", (torch.float64,), {}),
    ("contiguous", (), {}), ("detach", (), {}), ("cpu", (), {}), ("clone", (), {}),
    ("abs", (), {}), ("neg", (), {}), ("exp", (), {}), ("sigmoid", (), {}), ("relu", (), {}),
    ("square", (), {}), ("sign", (), {}), ("clamp", (), {"min": -0.5}),
    ("clip", (-0.2, 0.3), {}), ("add", (2.0,), {"alpha": 3}), ("sub", (1.0,), {}),
    ("mul", (2.0,), {}), ("div", (2.0,), {}), ("div", (0.5,), {"rounding_mode": "floor"}),
    ("pow", (2,), {}), ("eq", (0.0,), {}), ("gt", (0.0,), {}), ("isnan", (), {}),
    ("maximum", (None,), {}), ("masked_fill", ("mask", -1.0), {}), ("where", ("mask", 0.0), {}),
    ("__floordiv__", (0.5,), {}), ("__mod__", (0.5,), {}), ("__rsub__", (1.0,), {}),
    ("__rtruediv__", (1.0,), {}), ("__pos__", (), {}), ("__getitem__", ((0, slice(1, 3)),), {}),
    ("matmul", ("T",), {}), ("new_zeros", (2, 3), {}), ("new_full", ((2,), 7.0), {}),
]


def _args(args, torch_x, other):
    """Placeholders in CASES: "mask" a bool value of X's shape, "T" a (5, 4) matrix, None the
    other value itself."""
    out = []
    for a in args:
        if a is None:
            out.append(other)
        elif isinstance(a, str) and a == "mask":
            out.append(other > 0)
        elif isinstance(a, str) and a == "T":
            out.append(other[0].transpose(0, 1) if torch_x else other[0].T)
        else:
            out.append(a)
    return tuple(out)


def _static_args(args):
    return tuple(np.float64 if a is torch.float64 else a for a in args)


def _flat(value) -> list[np.ndarray]:
    if isinstance(value, tuple | list):
        return [v for item in value for v in _flat(item)]
    return [np.asarray(value.detach().numpy() if hasattr(value, "detach") else value)]


@pytest.mark.parametrize("name, args, kwargs", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_method_on_a_graph_value_computes_what_pytorch_does(name, args, kwargs):
    other = RNG.standard_normal((3, 4, 5)).astype(np.float32)
    tx = torch.tensor(X)
    want = getattr(tx, name) if args is None else \
        getattr(tx, name)(*_args(args, True, torch.tensor(other)), **kwargs)
    kw = {k: np.float64 if v is torch.float64 else v for k, v in kwargs.items()}
    with static.Graph() as g:
        x = static.placeholder((None, 4, 5), name="x")
        o = static.placeholder((None, 4, 5), name="o")
        got = getattr(x, name) if args is None else \
            getattr(x, name)(*_static_args(_args(args, False, o)), **kw)
    fetches = [v for v in (got if isinstance(got, tuple | list) else [got])]
    values = static.Session(g).run(fetches, {x: X, o: other})
    for w, v in zip(_flat(want), values, strict=True):
        assert v.shape == w.shape and v.dtype.kind == w.dtype.kind, (v.dtype, w.dtype)
        np.testing.assert_allclose(v, w, rtol=1e-5, atol=1e-6)


def test_the_device_is_the_cpu_and_other_devices_are_refused():
    x = _node()
    # PyTorch's device is not equal to its string: compare its printing (issue 16)
    assert repr(x.device) == "device(type='cpu')" and str(x.device) == "cpu"
    assert x.device.type == "cpu"
    assert x.to(x.device) is x and x.is_floating_point() and x.element_size() == 4
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        x.to("cuda")
    assert x.dim() == 2 and x.ndim == 2 and not x.is_leaf and x.requires_grad is False


def test_equality_is_elementwise_in_traced_code_and_identity_elsewhere():
    x = _node()
    assert (x == x) is True and (x != x) is False and x in [x] and {x: 1}[x] == 1
    t = static.trace(lambda v: ((v == 0).float(), v != v), static.TensorSpec((None, 2)))
    zeros, nan = t(np.array([[0.0, 1.0]], np.float32))
    np.testing.assert_array_equal(zeros, [[1.0, 0.0]])
    np.testing.assert_array_equal(nan, [[False, False]])

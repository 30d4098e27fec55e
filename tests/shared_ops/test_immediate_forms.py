"""Composites with an immediate form (a fused kernel for values at hand) agree with their
decomposition: values and gradients in float64, on the argument variants each form covers
and on those it hands back to the decomposition (NotImplemented)."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops
from shared_ops import OPS, composites

rng = np.random.default_rng(20261128)


def _probs(*shape):
    return rng.uniform(0.05, 0.95, shape)


def _pair(cut):
    """An input and a target whose differences stay 0.1 away from +-cut (a loss's kink)."""
    d = rng.uniform(0.1, 2.5, (4, 3)) * rng.choice([-1.0, 1.0], (4, 3))
    d = np.where(np.abs(np.abs(d) - cut) < 0.1, d * 1.6, d)
    y = rng.standard_normal((4, 3))
    return y + d, y


# composite name -> list of (id, float inputs (differentiated), other args, kwargs)
VARIANTS = {
    "linear": [
        ("2d", (rng.standard_normal((4, 3)), rng.standard_normal((5, 3)),
                rng.standard_normal(5)), (), {}),
        ("1d-input", (rng.standard_normal(3), rng.standard_normal((2, 3)),
                      rng.standard_normal(2)), (), {}),
        ("3d-input", (rng.standard_normal((2, 4, 3)), rng.standard_normal((5, 3)),
                      rng.standard_normal(5)), (), {}),
        ("no-bias", (rng.standard_normal((4, 3)), rng.standard_normal((5, 3))), (), {}),
    ],
    "binary_cross_entropy": [
        (red, (_probs(6, 2),), (rng.uniform(0, 1, (6, 2)),), {"reduction": red})
        for red in ("mean", "sum", "none")
    ] + [("weighted", (_probs(6, 2),), (rng.uniform(0, 1, (6, 2)),),
          {"weight": rng.uniform(0.5, 2, (6, 2))})],
    "binary_cross_entropy_with_logits": [
        (red, (rng.standard_normal((6, 2)) * 3,), (rng.uniform(0, 1, (6, 2)),),
         {"reduction": red}) for red in ("mean", "sum", "none")
    ] + [("at-zero", (np.array([0.0, -0.0, 2.0]),), (np.array([1.0, 0.0, 0.5]),), {}),
         ("pos-weight", (rng.standard_normal((6, 2)),), (rng.uniform(0, 1, (6, 2)),),
          {"pos_weight": rng.uniform(0.5, 2, 2)})],
    # Input and target both differentiated; beta 0 (L1) is handed back to the decomposition.
    "mse": [(red, _pair(0.0), (), {"reduction": red}) for red in ("mean", "sum", "none")],
    "mse_loss": [("alias", _pair(0.0), (), {})],
    "smooth_l1_loss": [(red, _pair(0.6), (), {"reduction": red, "beta": 0.6})
                       for red in ("mean", "sum", "none")] + [("beta-0", _pair(0.0), (),
                                                               {"beta": 0.0})],
    "huber_loss": [(red, _pair(1.4), (), {"reduction": red, "delta": 1.4})
                   for red in ("mean", "sum", "none")],
    "softmax": [
        (f"axis{axis}", (rng.standard_normal(shape) * 5,), (), {"axis": axis})
        for shape, axis in (((4, 5), -1), ((4, 5), 0), ((2, 3, 4), 1), ((6,), 0))
    ],
    "log_softmax": [
        (f"axis{axis}", (rng.standard_normal(shape) * 5,), (), {"axis": axis})
        for shape, axis in (((4, 5), -1), ((4, 5), 0), ((2, 3, 4), 1), ((6,), 0))
    ],
    "gelu": [
        (approx, (rng.standard_normal((3, 5)) * 3,), (), {"approximate": approx})
        for approx in ("none", "tanh")
    ],
    # The weight and bias as keywords (the form's gradients: test_fused_layers.py).
    "layer_norm": [
        ("1d", (rng.standard_normal((4, 6)) * 3,), (),
         {"normalized_shape": (6,), "weight": eager.tensor(rng.standard_normal(6)),
          "bias": eager.tensor(rng.standard_normal(6))}),
        ("2d-eps", (rng.standard_normal((2, 3, 4)),), (),
         {"normalized_shape": (3, 4), "weight": eager.tensor(rng.standard_normal((3, 4))),
          "bias": eager.tensor(rng.standard_normal((3, 4))), "eps": 1e-3}),
        ("weight-only", (rng.standard_normal((4, 6)),), (),
         {"normalized_shape": 6, "weight": eager.tensor(rng.standard_normal(6))}),
    ],
    "cross_entropy": [
        (red, (rng.standard_normal((5, 4)),), (rng.integers(0, 4, 5),), {"reduction": red})
        for red in ("mean", "sum", "none")
    ] + [
        ("ignore-index", (rng.standard_normal((5, 4)),), (np.array([1, -100, 3, 0, 2]),), {}),
        ("1d", (rng.standard_normal(6),), (np.array(2),), {}),
        ("spatial", (rng.standard_normal((2, 3, 4)),), (rng.integers(0, 3, (2, 4)),), {}),
        ("smoothed", (rng.standard_normal((5, 4)),), (rng.integers(0, 4, 5),),
         {"label_smoothing": 0.1}),
        ("soft-targets", (rng.standard_normal((5, 4)),),
         (rng.dirichlet(np.ones(4), 5),), {}),
    ],
    # Causal or not; keys broadcast over the batch (the gradient's ops form).
    "attention_weights": [
        (name, (rng.standard_normal((2, 3, 5, 4)), rng.standard_normal(kshape)), (),
         {"scale": 0.5, "causal": causal})
        for name, kshape, causal in (("causal", (2, 3, 5, 4), True),
                                     ("plain", (2, 3, 6, 4), False),
                                     ("broadcast-keys", (3, 7, 4), True))
    ],
    # Winograd's op program where it applies (3x3, stride 1, >= 16 channels, outputs >= 4);
    # the others hand back to conv2d_core.
    "conv2d": [
        ("winograd-bias-pad1", (rng.standard_normal((2, 16, 5, 6)),
                                rng.standard_normal((16, 16, 3, 3)) * 0.2,
                                rng.standard_normal(16)), (), {"padding": 1}),
        ("winograd-no-bias", (rng.standard_normal((1, 17, 7, 9)),
                              rng.standard_normal((18, 17, 3, 3)) * 0.2), (), {}),
        ("stride2", (rng.standard_normal((2, 16, 8, 8)), rng.standard_normal((16, 16, 3, 3)),
                     rng.standard_normal(16)), (), {"stride": 2}),
        ("few-channels", (rng.standard_normal((2, 3, 10, 10)),
                          rng.standard_normal((4, 3, 3, 3))), (), {"padding": 1}),
    ],
}


def _run(name, floats, others, kwargs, decompose):
    xs = [eager.tensor(a, requires_grad=True) for a in floats]
    args = [*xs, *(eager.tensor(o) for o in others)]
    if decompose:
        with shared_ops.decomposed():
            out = OPS[name](*args, **kwargs)
    else:
        out = OPS[name](*args, **kwargs)
    # An uneven weighting, not a plain sum: softmax's gradient would be 0 for that.
    w = np.linspace(1, 2, out.numel()).reshape(tuple(out.shape))
    (out * eager.tensor(w)).sum().backward()
    return out.detach().numpy(), [x.grad.numpy() for x in xs], out.grad_fn.name()


def test_every_immediate_form_has_variants():
    assert sorted(c.name for c in composites() if c.immediate) == sorted(VARIANTS)


@pytest.mark.parametrize("name, floats, others, kwargs", [
    pytest.param(name, f, o, k, id=f"{name}-{tag}")
    for name, variants in VARIANTS.items() for tag, f, o, k in variants])
def test_immediate_form_matches_decomposition(name, floats, others, kwargs):
    value, grads, node = _run(name, floats, others, kwargs, decompose=False)
    ref_value, ref_grads, ref_node = _run(name, floats, others, kwargs, decompose=True)
    np.testing.assert_allclose(value, ref_value, rtol=1e-10, atol=1e-12)
    for g, ref in zip(grads, ref_grads, strict=True):
        np.testing.assert_allclose(g, ref, rtol=1e-9, atol=1e-12)


def test_linear_records_one_node_eagerly_and_the_decomposition_when_asked():
    x, w, b = (eager.tensor(a, requires_grad=True) for a in VARIANTS["linear"][0][1])
    assert eager.nn.functional.linear(x, w, b).grad_fn.name() == "AddmmBackward0"
    with shared_ops.decomposed():
        assert eager.nn.functional.linear(x, w, b).grad_fn.name() == "AddBackward0"


def test_static_graphs_keep_the_decomposition():
    import static

    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((2, 3), np.float32), name="w")
        b = static.variable(np.zeros(2, np.float32), name="b")
        OPS["linear"](x, w, b)
    assert [n.op for n in g.nodes if n.op not in ("placeholder", "variable")] == \
        ["transpose", "matmul", "add"]


def test_shape_errors_name_the_composite_the_user_called():
    p, y = eager.tensor(_probs(4, 1)), eager.tensor(np.ones((4,)))
    with pytest.raises(shared_ops.ShapeError, match="binary_cross_entropy"):
        OPS["binary_cross_entropy"](p, y)
    with pytest.raises(shared_ops.ShapeError, match=r"linear.*\(2, 5\)"):
        OPS["linear"](eager.ones(3, 4), eager.ones(2, 5), eager.ones(2))


def test_fused_forms_print_pytorchs_grad_fn_names():
    x = eager.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    linear = eager.nn.Linear(3, 2).double()
    assert "grad_fn=<AddmmBackward0>" in repr(linear(x))
    ce = eager.nn.CrossEntropyLoss()(x, eager.tensor([0, 1, 2, 0]))
    assert "grad_fn=<NllLossBackward0>" in repr(ce)
    bce = eager.nn.BCELoss()(eager.sigmoid(x), eager.ones(4, 3, dtype=eager.float64))
    assert "grad_fn=<BinaryCrossEntropyBackward0>" in repr(bce)
    bcel = eager.nn.BCEWithLogitsLoss()(x, eager.ones(4, 3, dtype=eager.float64))
    assert "grad_fn=<BinaryCrossEntropyWithLogitsBackward0>" in repr(bcel)
    assert "grad_fn=<SoftmaxBackward0>" in repr(eager.softmax(x, dim=1))
    for loss, name in (("MSELoss", "MseLoss"), ("SmoothL1Loss", "SmoothL1Loss"),
                       ("HuberLoss", "HuberLoss")):
        out = getattr(eager.nn, loss)()(x, eager.ones(4, 3, dtype=eager.float64))
        assert f"grad_fn=<{name}Backward0>" in repr(out)
    assert "grad_fn=<LogSoftmaxBackward0>" in repr(eager.log_softmax(x, dim=1))


@pytest.mark.parametrize("weight, bias", [((5, 4), (1,)), ((5, 4), (2, 5)), ((2, 5, 4), (5,))],
                         ids=["bias-1", "bias-2d", "weight-3d"])
def test_the_fused_linear_refuses_what_the_decomposition_refuses(weight, bias):
    # NumPy alone would broadcast these silently; a static graph refuses them at build time.
    with pytest.raises(shared_ops.ShapeError, match="linear"):
        OPS["linear"](eager.ones(3, 4), eager.ones(*weight), eager.ones(*bias))
    import static

    with static.Graph(), pytest.raises(shared_ops.ShapeError, match="linear"):
        OPS["linear"](static.placeholder((3, 4)), static.variable(np.ones(weight, np.float32)),
                      static.variable(np.ones(bias, np.float32)))


@pytest.mark.parametrize("target", [[[0], [1], [2], [0]], [0, 1, 2], [0, 1, 2, 0, 1]],
                         ids=["column", "short", "long"])
def test_the_fused_cross_entropy_refuses_a_target_of_the_wrong_shape(target):
    # A (N, 1) target once broadcast silently in the fused kernel's fancy indexing.
    logits = eager.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    with pytest.raises(shared_ops.ShapeError, match="target of shape"):
        OPS["cross_entropy"](logits, eager.tensor(target))
    with pytest.raises(shared_ops.ShapeError, match="target of shape"):
        OPS["softmax_cross_entropy_grad"](np.array(1.0), logits.detach().numpy(),
                                          np.array(target))


_SHAPES = [(4,), (4, 1), (1, 4), (4, 3), (3, 4), (2, 4, 3), (5,), (3,)]


def _outcome(name, args, decompose):
    try:
        if decompose:
            with shared_ops.decomposed():
                return OPS[name](*args).detach().numpy()
        return OPS[name](*args).detach().numpy()
    except shared_ops.OpError:
        return "refused"


@pytest.mark.parametrize("name, makers", [
    ("linear", [lambda s: _floats(s)] * 3),
    ("binary_cross_entropy", [lambda s: _probs_of(s)] * 2),
    ("binary_cross_entropy_with_logits", [lambda s: _floats(s)] * 2),
    ("cross_entropy", [lambda s: _floats(s), lambda s: eager.tensor(np.zeros(s, np.int64))]),
])
def test_every_shape_combination_is_refused_or_computed_alike_by_both_forms(name, makers):
    """Both forms refuse the same argument shapes, and compute the same values on the rest:
    a fused kernel must not accept what NumPy would broadcast silently."""
    from itertools import product

    for shapes in product(_SHAPES, repeat=len(makers)):
        args = [make(s) for make, s in zip(makers, shapes, strict=True)]
        fused, plain = _outcome(name, args, False), _outcome(name, args, True)
        if isinstance(fused, str) or isinstance(plain, str):
            assert fused == plain, f"{name}{shapes}: fused {fused!r}, decomposed {plain!r}"
        else:
            np.testing.assert_allclose(fused, plain, rtol=1e-10, err_msg=f"{name}{shapes}")


def _floats(shape):
    return eager.tensor(rng.standard_normal(shape))


def _probs_of(shape):
    return eager.tensor(_probs(*shape))

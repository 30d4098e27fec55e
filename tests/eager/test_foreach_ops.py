"""``eager._foreach_*`` against ``torch._foreach_*``: every function of the table, in both
forms, with scalar, scalar-list and tensor-list operands; return types (tuple of new tensors,
or the same list in place); torch's errors for empty and mismatched lists; and autograd
through the out-of-place forms."""

import numpy as np
import pytest

import eager
from eager.foreach_ops import FOREACH_FUNCTIONS

torch = pytest.importorskip("torch")

SHAPES = [(3,), (2, 4), ()]


def pair_lists(seed, low=0.2, high=2.0):
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(low, high, s) for s in SHAPES]
    return [eager.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


def assert_same(ours, theirs):
    assert type(ours) is type(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12,
                                   atol=1e-12)


def call_both(name, *args, seed=0, **kwargs):
    """Run ``name`` on fresh equal lists: each arg "L" is a new list, others pass through."""
    ours_args, theirs_args = [], []
    for i, arg in enumerate(args):
        if arg == "L":
            e, t = pair_lists(seed + i)
            ours_args.append(e)
            theirs_args.append(t)
        else:
            ours_args.append(arg)
            theirs_args.append(arg)
    ours = getattr(eager, name)(*ours_args, **kwargs)
    theirs = getattr(torch, name)(*theirs_args, **kwargs)
    assert_same(ours, theirs)
    if name.endswith("_"):
        assert ours is ours_args[0]
        assert_same(ours_args[0], theirs_args[0])


UNARY = [n for n in FOREACH_FUNCTIONS if n.count("_") == 2 and n[len("_foreach_"):] in
         ("abs", "acos", "asin", "atan", "ceil", "cos", "cosh", "erf", "erfc", "exp", "expm1",
          "floor", "frac", "lgamma", "log", "log10", "log1p", "log2", "neg", "reciprocal",
          "round", "rsqrt", "sigmoid", "sign", "sin", "sinh", "sqrt", "tan", "tanh", "trunc")]


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("in_place", [False, True])
def test_unary(name, in_place):
    call_both(name + ("_" if in_place else ""), "L")


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "maximum", "minimum", "clamp_min",
                                "clamp_max", "pow"])
@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("other", ["scalar", "scalars", "tensors"])
def test_binary(op, in_place, other):
    operand = {"scalar": 1.3, "scalars": [0.5, 2.0, 1.5], "tensors": "L"}[other]
    call_both(f"_foreach_{op}" + ("_" if in_place else ""), "L", operand)


@pytest.mark.parametrize("in_place", [False, True])
def test_add_and_sub_take_alpha_with_a_tensor_list(in_place):
    for op in ("add", "sub"):
        call_both(f"_foreach_{op}" + ("_" if in_place else ""), "L", "L", alpha=0.25)


def test_mul_by_a_zero_dim_tensor_and_pow_of_a_scalar_base():
    ours, theirs = pair_lists(1)
    assert_same(eager._foreach_mul(ours, eager.tensor(3.0)),
                torch._foreach_mul(theirs, torch.tensor(3.0)))
    assert_same(eager._foreach_pow(2.0, ours), torch._foreach_pow(2.0, theirs))


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("in_place", [False, True])
def test_pointwise_with_scalar_and_per_tensor_values(op, in_place):
    name = f"_foreach_{op}" + ("_" if in_place else "")
    call_both(name, "L", "L", "L")
    call_both(name, "L", "L", "L", 0.5)
    call_both(name, "L", "L", "L", [0.5, -1.0, 2.0])


@pytest.mark.parametrize("in_place", [False, True])
def test_lerp_with_a_scalar_and_a_tensor_list_weight(in_place):
    name = "_foreach_lerp" + ("_" if in_place else "")
    call_both(name, "L", "L", 0.3)
    call_both(name, "L", "L", "L")


def test_norm_max_clone_copy_and_zero():
    call_both("_foreach_norm", "L")
    call_both("_foreach_norm", "L", 1)
    call_both("_foreach_norm", "L", float("inf"))
    ours, theirs = pair_lists(3)
    assert_same(eager._foreach_norm([t.float() for t in ours], dtype=eager.float64),
                torch._foreach_norm([t.float() for t in theirs], dtype=torch.float64))
    call_both("_foreach_max", "L")
    call_both("_foreach_clone", "L")
    call_both("_foreach_copy_", "L", "L")
    call_both("_foreach_zero_", "L")


def test_errors_match_torch():
    ours, theirs = pair_lists(0)
    cases = [(lambda m, lst: m._foreach_add([], []), "at least one tensor"),
             (lambda m, lst: m._foreach_add(lst, lst[:1]), "same number of tensors, got 3 and 1"),
             (lambda m, lst: m._foreach_mul(lst, [1.0]), "same number of elements as scalar")]
    for call, message in cases:
        for module, lst in ((eager, ours), (torch, theirs)):
            with pytest.raises(RuntimeError, match=message):
                call(module, lst)


def test_out_of_place_forms_are_differentiable_and_in_place_ones_check_leaves():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    (y,) = eager._foreach_mul([x], 3.0)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        eager._foreach_mul_([x], 2.0)


def test_every_function_of_the_table_exists_in_torch_and_on_eager():
    for name in FOREACH_FUNCTIONS:
        assert hasattr(torch, name), name
        assert getattr(eager, name) is FOREACH_FUNCTIONS[name]

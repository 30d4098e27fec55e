"""``eager.nn.attention`` as PyTorch's ``torch.nn.attention`` package: `SDPBackend`,
`sdpa_kernel` (its flags, restoring them, and the CPU refusals when the math backend is off)
and ``bias`` (``causal_upper_left`` / ``causal_lower_right`` masks in
``scaled_dot_product_attention``, values and gradients), against torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import eager
import eager.nn.attention as eager_attention
import eager.nn.attention.bias as eager_bias

torch = pytest.importorskip("torch")
import torch.nn.attention as torch_attention  # noqa: E402
import torch.nn.attention.bias as torch_bias  # noqa: E402

LIBS = ((torch, torch_attention, torch_bias), (eager, eager_attention, eager_bias))
RNG = np.random.default_rng(7)
Q, K, V = (RNG.standard_normal(shape).astype(np.float32)
           for shape in ((1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4)))


def test_sdp_backend_members_print_and_convert_as_torch():
    def describe(attention):
        return [(name, int(b), str(b), repr(b), b == int(b))
                for name, b in attention.SDPBackend.__members__.items()]
    assert describe(eager_attention) == describe(torch_attention)


def _flags(lib):
    cuda = lib.backends.cuda
    return (cuda.flash_sdp_enabled(), cuda.mem_efficient_sdp_enabled(), cuda.math_sdp_enabled(),
            cuda.cudnn_sdp_enabled())


@pytest.mark.parametrize("pick", [["MATH"], ["FLASH_ATTENTION", "EFFICIENT_ATTENTION"],
                                  ["CUDNN_ATTENTION", "MATH", "MATH"], []])
def test_sdpa_kernel_sets_the_backend_flags_and_restores_them(pick):
    seen = []
    for lib, attention, _ in LIBS:
        backends = [getattr(attention.SDPBackend, name) for name in pick]
        with attention.sdpa_kernel(backends if len(backends) != 1 else backends[0]) as value:
            inside = _flags(lib)
        seen.append((value, inside, _flags(lib)))
    assert seen[1] == seen[0] and seen[0][2] == (True, True, True, True)


def test_sdpa_kernel_refuses_what_is_not_a_backend():
    texts = []
    for _, attention, _ in LIBS:
        with pytest.raises(AssertionError) as info, attention.sdpa_kernel("math"):
            pass
        texts.append(str(info.value))
    assert texts[1] == texts[0] == ("Backend must be an instance of SDPBackend or a list of "
                                    "SDPBackend instances, got str")


CALLS = {
    "plain": lambda q, k, v, lib: {},
    "causal": lambda q, k, v, lib: {"is_causal": True},
    "bool mask": lambda q, k, v, lib: {"attn_mask": lib.ones(3, 5, dtype=lib.bool)},
    "4-d mask": lambda q, k, v, lib: {"attn_mask": lib.zeros(1, 1, 3, 5)},
    "3-d mask": lambda q, k, v, lib: {"attn_mask": lib.zeros(2, 3, 5)},
    "dropout": lambda q, k, v, lib: {"dropout_p": 0.5},
    "3-d inputs": lambda q, k, v, lib: {"query": q[0], "key": k[0], "value": v[0]},
    "value dim": lambda q, k, v, lib: {"value": lib.ones(1, 2, 5, 6)},
}


def _outcome(lib, attention, backends, call):
    q, k, v = lib.tensor(Q), lib.tensor(K), lib.tensor(V)
    kwargs = {"query": q, "key": k, "value": v, **CALLS[call](q, k, v, lib)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with attention.sdpa_kernel([getattr(attention.SDPBackend, b) for b in backends]):
                shape = tuple(lib.nn.functional.scaled_dot_product_attention(**kwargs).shape)
        except RuntimeError as e:
            shape = str(e)
    # torch's C++ warnings end in "(Triggered internally at <its source file>)"
    return shape, [str(w.message).split(" (Triggered internally")[0] for w in caught]


@pytest.mark.parametrize("backends", [["FLASH_ATTENTION"], ["MATH"], ["EFFICIENT_ATTENTION"],
                                      ["CUDNN_ATTENTION", "OVERRIDEABLE"]])
@pytest.mark.parametrize("call", list(CALLS))
def test_which_calls_each_backend_choice_refuses_on_the_cpu_as_torch(backends, call):
    theirs, ours = (_outcome(lib, attention, backends, call) for lib, attention, _ in LIBS)
    assert ours == theirs


@pytest.mark.parametrize("make", ["causal_upper_left", "causal_lower_right"])
@pytest.mark.parametrize("size", [(3, 5), (4, 4), (5, 3)])
def test_causal_masks_print_and_attend_as_torchs(make, size):
    rng = np.random.default_rng(sum(size))
    qa, ka = (rng.standard_normal((1, 2, n, 4)).astype(np.float32) for n in size)
    results = []
    for lib, _, bias in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            mask = getattr(bias, make)(*size)
        q, k = lib.tensor(qa, requires_grad=True), lib.tensor(ka)
        out = lib.nn.functional.scaled_dot_product_attention(q, k, k * 2, attn_mask=mask)
        # rows that see no key (lower right, L > S) are NaN in both; compare the rest
        out.nan_to_num(0.0).sum().backward()
        results.append(((repr(mask), int(mask.variant), mask.seq_len_q, mask.seq_len_kv,
                         [str(w.message) for w in caught]),
                        out.detach().numpy(), q.grad.numpy()))
    (theirs, out_t, grad_t), (ours, out_e, grad_e) = results
    assert ours == theirs
    np.testing.assert_allclose(out_e, out_t, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad_e, grad_t, rtol=1e-4, atol=1e-6)


def test_lower_right_mask_is_what_kv_cached_decoding_attends_with():
    # The last two queries of full causal attention over five tokens == those two queries
    # against the five cached keys under causal_lower_right(2, 5).
    q, k = eager.tensor(K), eager.tensor(V)
    full = eager.nn.functional.scaled_dot_product_attention(q, k, k, is_causal=True)
    cached = eager.nn.functional.scaled_dot_product_attention(
        q[:, :, 3:], k, k, attn_mask=eager_bias.causal_lower_right(2, 5))
    np.testing.assert_allclose(cached.numpy(), full[:, :, 3:].numpy(), rtol=1e-6)


def test_bias_errors_as_torch():
    def errors(lib, bias):
        out = []
        for call in (lambda: bias.causal_lower_right(1, 2, 3),
                     lambda: bias.CausalBias(2, 3, 3),
                     lambda: lib.nn.functional.scaled_dot_product_attention(
                         lib.ones(1, 1, 2, 2), lib.ones(1, 1, 2, 2), lib.ones(1, 1, 2, 2),
                         attn_mask=bias.causal_upper_left(2, 2), is_causal=True)):
            with pytest.raises((AssertionError, ValueError)) as info:
                call()
            out.append((type(info.value).__name__, str(info.value)))
        return out
    assert errors(eager, eager_bias) == errors(torch, torch_bias)


def test_multihead_attention_keeps_its_import_paths():
    assert eager_attention.MultiheadAttention is eager.nn.MultiheadAttention
    assert eager.nn.modules.activation.MultiheadAttention is eager.nn.MultiheadAttention
    assert eager.nn.attention.bias is eager_bias


MASKED_CAUSAL = {
    "bool mask": lambda lib: {"attn_mask": lib.tensor(RNG_MASK)},
    "float mask": lambda lib: {"attn_mask": lib.tensor(np.where(RNG_MASK, 0.5, -1.0)
                                                       .astype(np.float32))},
    "a row masked out": lambda lib: {"attn_mask": lib.tensor(np.eye(3, 5, 1, dtype=bool))},
    "3-d inputs": lambda lib: {"attn_mask": lib.tensor(RNG_MASK), "three_d": True},
    "dropout": lambda lib: {"attn_mask": lib.tensor(RNG_MASK), "dropout_p": 0.5},
}
RNG_MASK = np.random.default_rng(3).random((3, 5)) > 0.3


@pytest.mark.parametrize("case", list(MASKED_CAUSAL))
@pytest.mark.parametrize("math_only", [False, True])
def test_a_mask_with_is_causal_goes_where_torchs_cpu_kernels_send_it(case, math_only):
    results = []
    for lib, attention, _ in LIBS:
        kwargs = MASKED_CAUSAL[case](lib)
        leaf = q = lib.tensor(Q, requires_grad=True)
        k, v = lib.tensor(K), lib.tensor(V)
        if kwargs.pop("three_d", False):
            q, k, v = q[0], k[0], v[0]
        backends = [attention.SDPBackend.MATH] if math_only else \
            list(attention.SDPBackend.__members__.values())
        try:
            with attention.sdpa_kernel(backends):
                out = lib.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True,
                                                                     **kwargs)
            out.sum().backward()
            results.append((out.detach().numpy(), leaf.grad.numpy()))
        except RuntimeError as e:
            results.append(str(e))
    theirs, ours = results
    # torch's CPU flash kernel takes 4-d inputs without dropout; its math path refuses
    assert isinstance(theirs, str) == (math_only or case in ("3-d inputs", "dropout"))
    if isinstance(theirs, str):
        assert ours == theirs
    else:
        np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-4, atol=1e-6)

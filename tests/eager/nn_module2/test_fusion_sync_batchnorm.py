"""nn.utils fusion (conv/linear + eval batch norm), skip_init, unpack_sequence, and
SyncBatchNorm without a process group: as torch."""

from __future__ import annotations

import pytest
from module2_oracle import rounded, same_error, under_both


def _trained_bn(lib, bn, x):
    bn.train()
    bn(x)  # moves the running statistics off their defaults
    with lib.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
    return bn.eval()


@pytest.mark.parametrize("bias", [True, False])
def test_fused_conv_and_linear_compute_the_batch_norm_of_the_layer(bias):
    def scenario(lib):
        from importlib import import_module
        fusion = import_module(f"{lib.__name__}.nn.utils.fusion")
        conv = lib.nn.Conv2d(2, 3, 3, bias=bias).eval()
        x = lib.randn(2, 2, 5, 5)
        bn = _trained_bn(lib, lib.nn.BatchNorm2d(3), conv(x))
        fused = fusion.fuse_conv_bn_eval(conv, bn)
        tconv = lib.nn.ConvTranspose2d(2, 3, 2, bias=bias).eval()
        tbn = _trained_bn(lib, lib.nn.BatchNorm2d(3), tconv(x))
        tfused = fusion.fuse_conv_bn_eval(tconv, tbn, transpose=True)
        lin = lib.nn.Linear(4, 3, bias=bias).eval()
        v = lib.randn(6, 4)
        lbn = _trained_bn(lib, lib.nn.BatchNorm1d(3), lin(v))
        lfused = fusion.fuse_linear_bn_eval(lin, lbn)
        return (rounded(fused(x), 4), rounded(tfused(x), 4), rounded(lfused(v), 4),
                type(fused.weight).__name__, fused.bias.requires_grad, fused is not conv,
                bool(lib.allclose(lfused(v), lbn(lin(v)), atol=1e-5)))
    theirs, ours = under_both(scenario)
    assert ours == theirs and ours[-1]


def test_fusion_errors_are_torchs():
    def training(lib):
        lib.nn.utils.fuse_linear_bn_eval(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))

    def mismatch(lib):
        lib.nn.utils.fuse_linear_bn_eval(lib.nn.Linear(2, 3).eval(),
                                         lib.nn.BatchNorm1d(2).eval())

    def no_stats(lib):
        lib.nn.utils.fuse_conv_bn_eval(lib.nn.Conv2d(2, 3, 1).eval(),
                                       lib.nn.BatchNorm2d(3, track_running_stats=False).eval())
    for scenario in (training, mismatch, no_stats):
        same_error(AssertionError, scenario)


def test_skip_init_draws_nothing_from_the_generator():
    def scenario(lib):
        layer = lib.nn.utils.skip_init(lib.nn.Linear, 4, 3)
        after = lib.rand(2)
        return tuple(layer.weight.shape), layer.weight.requires_grad, rounded(after)
    theirs, ours = under_both(scenario)
    assert ours == theirs
    same_error(RuntimeError, lambda lib: lib.nn.utils.skip_init(lib.nn.ReLU))


def test_unpack_sequence_inverts_pack_sequence():
    def scenario(lib):
        seqs = [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0, 5.0]), lib.tensor([6.0])]
        packed = lib.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
        return [rounded(t) for t in lib.nn.utils.rnn.unpack_sequence(packed)]
    theirs, ours = under_both(scenario)
    assert ours == theirs == [[1.0, 2.0], [3.0, 4.0, 5.0], [6.0]]


def test_sync_batchnorm_normalizes_alone_without_a_process_group():
    def scenario(lib):
        sbn = lib.nn.SyncBatchNorm(3)
        x = lib.randn(4, 3, 2, 2)
        out = sbn(x)
        seq = lib.nn.Sequential(lib.nn.Conv2d(3, 3, 1), lib.nn.BatchNorm2d(3))
        seq[1].eval()
        converted = lib.nn.SyncBatchNorm.convert_sync_batchnorm(seq)
        return (repr(sbn), rounded(out, 4), rounded(sbn.running_mean, 4), repr(converted),
                converted[1].weight is seq[1].weight, converted[1].training, converted.training)
    theirs, ours = under_both(scenario)
    assert ours == theirs
    same_error(ValueError, lambda lib: lib.nn.SyncBatchNorm(3)(lib.ones(3)))
    same_error(ValueError, lambda lib: lib.nn.SyncBatchNorm(0)(lib.ones(2, 0)))

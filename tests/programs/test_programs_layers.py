"""Programs using issue 16's layers print the same under torch and with only their imports
changed to eager's: a 3-D CNN over volumes (Conv3d, 3-d pooling, lazy layers, weight and
spectral normalization, exp2) and a spatial transformer before a CRNN trained with CTC
(affine_grid, grid_sample, CTCLoss), a graph attention network (einsum heads, leaky_relu
scores, a -inf neighbour mask), a RealNVP normalizing flow (affine couplings, a
MultivariateNormal base, inversion), a prototypical network with k-NN voting (cdist,
topk, mode, bincount), the nn.Transformer translation tutorial (subsequent and padding masks,
greedy decoding), parametrize with Symmetric and Cayley-map parametrizations, a VQ-VAE
codebook (straight-through estimator), and Module utilities (apply, extra_repr, the no_grad
decorator, rng state), and GNN message passing over an edge list (index_add_, bincount
means, scatter_add_, a batch-vector readout), and voxel feature pooling over a point cloud
(scatter_reduce amax/mean/amin without the input's values, index_reduce, put_, index_copy,
in-place squeeze_/unsqueeze_, view(dtype)), and MADE (masked linear layers with masks in
buffers, order-agnostic training, ancestral sampling), and LoRA both as a parametrization
(cached, disabled, merged by remove_parametrizations) and as a wrapper Linear, and DANN (a
gradient reversal Function) over F.unfold patches with F.fold reconstruction and sequence
statistics (diff, cummax, logcumsumexp, nanmedian, block_diag, cartesian_prod, combinations),
and GraphSAGE with neighbour sampling (max aggregation assigned by index into a buffer of the
graph), and LoRA wrappers swapped in by setattr with merge/unmerge and a lora-only state
dict, activation checkpointing (checkpoint with use_reentrant=False over dropout blocks,
checkpoint_sequential), and a Muon-style Optimizer subclass (Newton-Schulz orthogonalized
momentum beside AdamW)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["graphsage_sampling", "volume_classifier", "stn_ctc_reader",
                                  "graph_attention",
                                  "realnvp_flow", "prototypical_knn", "transformer_translation",
                                  "parametrize_orthogonal", "vqvae_codebook",
                                  "module_utilities", "gnn_message_passing",
                                  "voxel_pooling_scatter", "parametrizations_orthogonal",
                                  "made_autoregressive", "lora_parametrize",
                                  "dann_unfold_patches", "finetune_surgery_hooks",
                                  "checkpoint_key_renaming", "lora_merge_unmerge",
                                  "activation_checkpointing", "muon_newton_schulz"])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)

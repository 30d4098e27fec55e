"""The programs in the manner of the PyTorch tutorials and of micrograd print the same under
torch and with only their imports changed to eager's (issue 16): tensors and autograd fitting
sin(x) three ways, the quickstart classifier with a Dataset and DataLoader, the RNN name
classifier, micrograd-style gradient checks, the text classification tutorial (EmbeddingBag
over offsets, SGD, StepLR, clip_grad_norm_), the translation tutorial's GRU encoder and
attention decoder, REINFORCE with a Categorical policy, a VAE written with
torch.distributions, least squares with torch.linalg, and a two-layer GCN over a dense
normalised adjacency (fill_diagonal_, torch.spmm, Adam with weight decay), and a loop of
training utilities (activation checkpointing, label smoothing, OneCycleLR, a gradient penalty,
an EMA of the weights, inference mode, a checkpoint round trip), and pytorch/examples'
actor-critic (smooth_l1_loss, a Categorical policy) with a time-series transformer
(positional encoding, causal and padding masks, floor division), the DQN tutorial's update
(replay memory, gather, soft target updates, AdamW amsgrad), a PPO update with a Gaussian
policy (Independent Normal, clipped surrogate, GAE), tensors and modules printed as the
tutorials print them, data-loading idioms (IterableDataset with get_worker_info,
WeightedRandomSampler, default_collate, pad_sequence), feature extraction with hooks, the
FGSM tutorial (input gradients, sign, clamp) with a PGD loop, neural style transfer (Gram
matrices, the image optimised by LBFGS), full-batch fitting with LBFGS's strong-Wolfe line
search (a logistic regression, a damped oscillation, a small network), and the
transfer-learning tutorial's fine-tuning (a frozen backbone, a new head, set_grad_enabled
phases, best weights by deepcopy), and
custom autograd Functions in their styles (needs_input_grad, setup_context, a straight-through
estimator, mark_non_differentiable, gradcheck), and an in-place Function (mark_dirty) with
its graph walked through grad_fn.next_functions, and the torch.func tutorials
(per-sample gradients with vmap(grad(functional_call)), model ensembling with
stack_module_state, jacrev/hessian) with torch.autograd.functional's jacobian, hessian, vjp, jvp
and hvp, and signal and sequence utilities (greedy CTC decoding with unique_consecutive,
torch.gradient, trapezoid, histograms, vander, renorm, diag_embed, gcd, bit shifts), and
forward-mode AD (dual tensors, a module's JVP in its parameters, forward-over-reverse), and
indexing idioms (broadcast index tensors, boolean masks, index_put_ with accumulate, where
chains, unique, bucketize, tril_indices), and "What is torch.nn really?" step by step (raw
tensors to nn.Sequential CNNs, a wrapped DataLoader), saving and loading in every form into
BytesIO buffers, d2l.ai's softmax regression, MLP and dropout from scratch, and a CS231n-style
two-layer net checked by finite differences, gradcheck and gradgradcheck, and the data loading
tutorial's hand-written transforms over dict samples (Rescale, RandomCrop, Compose, a padding
collate, BatchSampler, ConcatDataset), and the tensors tutorial with printing beyond the basics
(named tuples, format specs, every set_printoptions option), and the rest of "Learning
PyTorch with Examples" (hand-written backprop, DynamicNet),
the autograd tutorials' tour (grad_fn walks, retain_grad, hooks, accumulation, create_graph)
and the 60-minute blitz's LeNet and CIFAR-style classifier, and d2l.ai's builders' guide
(custom blocks, apply() initialisers, tied and lazy layers, file I/O) and convolutions from
scratch (corr2d and pool2d by loops, a learned edge kernel, multi-channel stacks, LeNet), and
tensors printed under each set_printoptions setting (sci_mode, precision, threshold,
edgeitems, linewidth, profiles), and the "Build the Neural Network" and "Transforms" tutorials
(torch.accelerator's device line, every named parameter printed, a scatter_ one-hot target
transform, training on the one-hot targets), and a CS231n-style two-layer net with its backward
pass by hand (gradients assigned by index into a tensor of the graph) checked against
autograd, and out= (the tensors tutorial's arithmetic into buffers, views and (values,
indices) pairs, factories and torch.linalg/torch.special into preallocated outputs)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")

# torch's first forward-mode use (its hessian is jacfwd of jacrev) scripts decompositions with
# torch.jit.script, which warns that it is deprecated: torch's warning, not the program's.
_TORCH_FORWARD_AD = pytest.param("per_sample_grads_func", marks=pytest.mark.filterwarnings(
    "ignore:`torch.jit.script` is deprecated:DeprecationWarning"))


@pytest.mark.parametrize("name", ["cs231n_manual_backprop", "fit_sin_polynomial",
                                  "quickstart_classifier",
                                  "rnn_name_classifier", "micrograd_check",
                                  "text_classification_embedding_bag", "seq2seq_attention",
                                  "reinforce_policy_gradient", "vae_distributions",
                                  "linalg_least_squares", "gcn_dense_adjacency",
                                  "pygcn_sparse_adjacency",
                                  "training_utilities", "actor_critic_and_time_series",
                                  "dqn_replay", "ppo_gaussian", "tensor_printing",
                                  "data_pipeline", "hooks_feature_extraction",
                                  "fgsm_adversarial", "neural_style_lbfgs",
                                  "lbfgs_strong_wolfe_fitting",
                                  "transfer_learning_freeze", "gibbs_bayesian_regression",
                                  "custom_function_styles", "full_backward_hook", "prune_and_hooks",
                                  "mark_dirty_inplace_function", _TORCH_FORWARD_AD,
                                  "autograd_functional", "model_ensembling",
                                  "signal_tools_ctc_decode", "indexing_tricks",
                                  "print_options_tour",
                                  "nn_really_step_by_step", "saving_loading_forms",
                                  "d2l_softmax_dropout_scratch", "cs231n_two_layer_gradcheck",
                                  "data_loading_transforms", "tensors_tutorial_printing",
                                  "learning_pytorch_dynamic_net", "autograd_mechanics_tour",
                                  "blitz_neural_networks", "d2l_builders_guide", "d2l_cnn_scratch",
                                  "build_model_tutorial", "lookahead_lr_finder",
                                  "tensor_out_arguments",
                                  pytest.param("forward_mode_ad", marks=_TORCH_FORWARD_AD.marks)])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)

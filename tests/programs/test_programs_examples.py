"""The programs in the manner of the pytorch/examples repository print the same under torch
and with only their imports changed to eager's (issue 16): the MNIST-style CNN with Adadelta
and StepLR, the word-level LSTM language model with tied weights, the polynomial regression,
the LSTMCell time-sequence prediction trained with LBFGS, mnist_rnn (an LSTM over image rows,
Adadelta, StepLR), the forward-forward algorithm (per-layer optimizers, goodness), a
WaveNet-style model (causal dilated Conv1d, gated activations, mu-law codes, greedy
generation), Bayes by backprop (reparameterised weights, kl_divergence to a Normal prior,
gaussian_nll_loss), exact Gaussian-process regression (Cholesky, triangular solves, logdet),
NumPy interop, the device-agnostic AMP boilerplate of modern scripts on a CPU (GradScaler
disabled, autocast off, matmul precision), and DataLoader worker processes (worker_init_fn,
persistent workers, a seeded generator) giving num_workers=0's batches, the ImageNet
example's bookkeeping (AverageMeter, top-k accuracy, best checkpoint), a soft actor-critic
update (tanh-squashed rsample, twin Q targets, a learned temperature, Polyak averaging), and
sliding windows with hand-written metrics (unfold, bincount confusion matrix, ROC-AUC), MAML
on sine tasks (second-order meta-gradients through autograd.grad with create_graph) with a
Reptile step, a physics-informed network (second derivatives by autograd, Adam then LBFGS),
a neural ODE through a hand-written RK4 solver, and checkpoint/resume through a file
(map_location, weights_only, the RNG state) giving an uninterrupted run's losses, TransE
knowledge-graph embeddings (margin ranking, L1 distances, filtered ranks), and a tabular
entity-embedding classifier (BatchNorm1d, class weights with label smoothing, OneCycleLR, SWA
with update_bn), and the deployment step (torch.jit.trace, script, save and load of a
trained classifier), WGAN-GP (the gradient penalty by autograd.grad with create_graph), a
TRPO update (flat parameter vectors, Fisher-vector products by double backward, conjugate
gradient, a KL-constrained line search), and a warmup-cosine LambdaLR loop keeping a weight
EMA with torch._foreach ops and lerp_, and Hogwild training (a model in shared memory,
forked workers updating it in place, DataParallel's module.-prefixed checkpoint), losses for
noisy and imbalanced labels (focal, class-balanced, symmetric, bootstrapped, generalized CE),
and a multi-task ModuleDict with early stopping, checkpoints in io.BytesIO and strict=False
loading, a BPR recommender (logsigmoid, isin, HR/NDCG from topk), entropic optimal transport
in log space with a spatial soft-argmax head, and learning to rank (RankNet, ListNet,
LambdaRank weights, NDCG), an N-BEATS forecaster (unfold windows, a polynomial trend basis,
recursive forecasts, sMAPE/MASE), and a conditional GAN on a Gaussian mixture (label
embeddings, one-sided label smoothing, annealed instance noise), and parameter surgery under
no_grad (hand-written momentum SGD, renorm_, clamp_, Polyak averaging, weight
standardisation, parameters_to_vector, in-place init), and k-means++ with Lloyd iterations
followed by EM for a full-covariance Gaussian mixture (Cholesky, solve_triangular, einsum), and
k-fold training over Subset/StackDataset/ChainDataset with CyclicLR, PolynomialLR,
SequentialLR and ChainedScheduler, and conditional flow matching (lerp interpolants,
Euler and midpoint samplers under inference_mode, vmap(jacrev) velocity Jacobians, an EMA
evaluated through functional_call), and embedding retrieval (from_pretrained embeddings and
bags, max_norm, cosine and margin ranking losses, recall@k), and int8 weight quantization
from scratch (absmax and zero-point, per-row scales, LLM.int8 outlier columns with int32
accumulation, a QuantLinear over int8 buffers), mixed precision by hand (float16 model,
float32 master weights, a dynamic loss scale), and a DDP-ready script run as one process
(DistributedSampler shards with set_epoch, a hand-written gradient all-reduce, an
AveragedModel EMA with update_bn)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")

# torch.jit warns that it is deprecated (a DeprecationWarning from torch's own file), and so,
# as torch, does eager.jit: the library's warning, not the program's.
_JIT_DEPLOY = pytest.param("jit_deploy", marks=pytest.mark.filterwarnings(
    "ignore:`torch.jit.:DeprecationWarning"))


@pytest.mark.parametrize("name", ["mnist_cnn", "embedding_retrieval_losses",
                                  "word_language_model", "polynomial_regression",
                                  "time_sequence_prediction", "mnist_rnn_rows",
                                  "forward_forward", "wavenet_dilated", "bayes_by_backprop",
                                  "gp_regression", "numpy_interop", "amp_cpu_boilerplate",
                                  "dataloader_workers", "imagenet_train_loop", "sac_update",
                                  "sliding_windows_metrics", "maml_sine", "pinn_poisson",
                                  "neural_ode_rk4", "checkpoint_resume", "sac_tanh_mdn",
                                  "transe_kg", "tabular_embeddings", _JIT_DEPLOY, "wgan_gp",
                                  "trpo_step", "ema_warmup", "hogwild_shared_model",
                                  "dirichlet_topic_vae", "gp_cholesky_solve",
                                  "robust_losses", "early_stopping_bytesio",
                                  "ncf_bpr_recommender", "sinkhorn_soft_argmax",
                                  "listwise_ranking", "nbeats_forecast", "cgan_mixture",
                                  "inplace_no_grad_tricks", "gmm_em_kmeans",
                                  "scheduler_zoo_kfold", "flow_matching_func",
                                  "int8_quantization_scratch", "fp16_master_weights",
                                  "ddp_ready_single_process"])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)

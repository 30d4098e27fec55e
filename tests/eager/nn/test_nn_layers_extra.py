"""The smaller layers against torch: printing and state dict keys of every new layer,
activation and loss modules, Embedding (padding_idx, max_norm, from_pretrained), MaxPool2d
(ceil_mode, return_indices), Unflatten, ParameterList/ParameterDict, nn.utils."""

import math

import numpy as np
import pytest
from nn_parity import assert_close, load_torch_weights, randn, run_modules

import eager
import eager.nn as nn
import eager.nn.utils as U

torch = pytest.importorskip("torch")

REPRS = [
    ("SiLU", (), {}), ("Mish", (), {"inplace": True}), ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.2, True), {}), ("ELU", (0.5,), {}), ("SELU", (), {}),
    ("Softplus", (2, 10), {}), ("Hardtanh", (-2, 3.0), {}), ("ReLU6", (), {}),
    ("ReLU", (True,), {}), ("LogSigmoid", (), {}), ("GELU", ("tanh",), {}),
    ("L1Loss", (), {}), ("SmoothL1Loss", (), {"beta": 0.5}), ("HuberLoss", (), {"delta": 2.0}),
    ("KLDivLoss", (), {"reduction": "batchmean", "log_target": True}),
    ("CosineSimilarity", (), {"dim": 0}), ("PairwiseDistance", (), {}),
    ("Dropout1d", (), {}), ("Dropout2d", (0.2,), {}), ("Dropout3d", (), {"inplace": True}),
    ("Embedding", (10, 3), {"padding_idx": -1, "max_norm": 2.0, "norm_type": 1.0}),
    ("MaxPool2d", (3, 2, 1), {"ceil_mode": True, "return_indices": True}),
    ("Unflatten", (1, (2, 5)), {}), ("Unflatten", (-1, [2, 5]), {}),
    ("BatchNorm2d", (4,), {"momentum": None, "affine": False}), ("BatchNorm1d", (4,), {}),
    ("MultiheadAttention", (8, 2), {"kdim": 3, "vdim": 5, "add_bias_kv": True}),
    ("LSTM", (3, 4, 2), {"bidirectional": True, "dropout": 0.5}),
    ("GRU", (3, 4), {"bias": False, "batch_first": True, "bidirectional": True}),
    ("Identity", (), {}), ("Flatten", (0, 2), {}), ("LayerNorm", (4,), {"bias": False}),
]


@pytest.mark.filterwarnings("ignore:dropout option adds dropout")
@pytest.mark.parametrize("name,args,kwargs", REPRS, ids=lambda v: str(v))
def test_repr_and_state_dict_keys_match_torch(name, args, kwargs):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("name,args,input_shape", [
    ("SiLU", (), (4, 5)), ("Mish", (), (4, 5)), ("LeakyReLU", (0.1,), (4, 5)),
    ("ELU", (0.7,), (4, 5)), ("Softplus", (2.0, 3.0), (4, 5)), ("Hardtanh", (-0.5, 0.5), (4, 5)),
    ("ReLU6", (), (4, 5)), ("Unflatten", (1, (2, 3)), (4, 6, 2)),
    ("MaxPool2d", (2, 2, 0, 1, False, True), (2, 3, 5, 7)),
    ("MaxPool2d", (3, 2, 1, 1, False, True), (1, 2, 6, 6)),
    ("MaxPool2d", (3, 2, 1, 2, False, True), (1, 2, 9, 8)),
])
def test_modules_forward_and_backward_match_torch(name, args, input_shape):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    run_modules(ours, theirs, [randn(*input_shape) * 3], torch)


@pytest.mark.parametrize("shape", [(2, 3, 5, 5), (2, 7, 6), (1, 1, 4, 9)])
@pytest.mark.parametrize("kernel,stride,padding,dilation", [(2, None, 0, 1), (3, 2, 1, 1),
                                                             (2, 3, 1, 2), ((2, 3), 2, 0, 1)])
def test_max_pool_ceil_mode_and_indices_match_torch(shape, kernel, stride, padding, dilation):
    x = randn(*shape)
    x[..., 0, :2] = 7.0  # ties: the first maximum wins, in values and indices
    ours = nn.MaxPool2d(kernel, stride, padding, dilation, return_indices=True, ceil_mode=True)
    theirs = torch.nn.MaxPool2d(kernel, stride, padding, dilation, return_indices=True,
                                ceil_mode=True)
    run_modules(ours, theirs, [x], torch)
    (_, idx), (_, t_idx) = ours(eager.tensor(x)), theirs(torch.tensor(x))
    assert idx.dtype == np.int64
    np.testing.assert_array_equal(idx.numpy(), t_idx.numpy())


@pytest.mark.parametrize("name,kwargs", [("L1Loss", {}), ("SmoothL1Loss", {"beta": 0.4}),
                                         ("HuberLoss", {"delta": 0.5, "reduction": "sum"}),
                                         ("L1Loss", {"reduction": "none"})])
def test_loss_modules_match_torch(name, kwargs):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    run_modules(ours, theirs, [randn(3, 4), randn(3, 4, seed=1)], torch)


def test_kldiv_and_cosine_modules():
    logp = np.log(np.random.default_rng(0).dirichlet(np.ones(4), 3)).astype(np.float32)
    q = np.random.default_rng(1).dirichlet(np.ones(4), 3).astype(np.float32)
    run_modules(nn.KLDivLoss(reduction="batchmean"), torch.nn.KLDivLoss(reduction="batchmean"),
                [logp, q], torch)
    run_modules(nn.CosineSimilarity(dim=0), torch.nn.CosineSimilarity(dim=0),
                [randn(5, 3), randn(5, 3, seed=1)], torch)
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.KLDivLoss(reduction="avg")


def test_embedding_padding_idx_max_norm_and_from_pretrained():
    torch.manual_seed(0)
    theirs = torch.nn.Embedding(6, 3, padding_idx=2, max_norm=1.0)
    ours = nn.Embedding(6, 3, padding_idx=2, max_norm=1.0)
    assert not ours.weight.detach().numpy()[2].any()  # the padding row starts at zero
    load_torch_weights(ours, theirs)
    with torch.no_grad():
        theirs.weight.mul_(3.0)  # norms above max_norm
    load_torch_weights(ours, theirs)
    idx = np.array([[0, 2, 2], [5, 1, 0]])
    ye, yt = ours(eager.tensor(idx)), theirs(torch.tensor(idx))
    assert_close(ye, yt)
    assert_close(ours.weight, theirs.weight, what="rows renormalized in place")
    (ye * eager.tensor(randn(2, 3, 3))).sum().backward()
    (yt * torch.tensor(randn(2, 3, 3))).sum().backward()
    assert_close(ours.weight.grad, theirs.weight.grad)
    assert not ours.weight.grad.numpy()[2].any()
    frozen = nn.Embedding.from_pretrained(eager.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert not frozen.weight.requires_grad and frozen(eager.tensor([1])).tolist() == [[3.0, 4.0]]
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(3, 2, padding_idx=3)


def test_parameter_list_and_dict_print_and_register_like_torch():
    values = [randn(3, 4), randn(3).astype(np.float64)]
    ours = nn.ParameterList([nn.Parameter(eager.tensor(values[0])), eager.tensor(values[1])])
    theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.tensor(values[0])),
                                     torch.tensor(values[1])])
    assert repr(ours) == repr(theirs)  # torch.float32, as every eager dtype prints
    assert isinstance(ours[1], nn.Parameter) and len(ours) == 2
    assert [n for n, _ in ours.named_parameters()] == ["0", "1"]
    ours.append(nn.Parameter(eager.zeros(1)))
    assert len(list(ours.parameters())) == 3 and ours[-1].shape == (1,)
    d = {"b": randn(2), "a": randn(1, 2)}
    ours_d = nn.ParameterDict({k: nn.Parameter(eager.tensor(v)) for k, v in d.items()})
    theirs_d = torch.nn.ParameterDict({k: torch.nn.Parameter(torch.tensor(v))
                                       for k, v in d.items()})
    assert repr(ours_d) == repr(theirs_d)
    assert list(ours_d) == list(theirs_d) == ["a", "b"]  # a plain dict goes in sorted
    holder, t_holder = nn.Module(), torch.nn.Module()
    holder.params, t_holder.params = ours_d, theirs_d
    assert list(holder.state_dict()) == list(t_holder.state_dict())
    assert ours_d.pop("a").shape == (1, 2) and "a" not in ours_d
    with pytest.raises(RuntimeError, match="ParameterDict should not be called"):
        ours_d(eager.zeros(1))


def test_clip_grad_norm_and_value_match_torch():
    shapes = [(3, 4), (4,), (2, 2)]
    grads = [randn(*s, seed=i) * 3 for i, s in enumerate(shapes)]
    for norm_type in (2.0, 1.0, math.inf, 3.0):
        ours = [eager.zeros(*s, requires_grad=True) for s in shapes]
        theirs = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p, q, g in zip(ours, theirs, grads, strict=True):
            p.grad, q.grad = eager.tensor(g), torch.tensor(g)
        total = U.clip_grad_norm_(ours, 1.5, norm_type=norm_type, foreach=True)
        t_total = torch.nn.utils.clip_grad_norm_(theirs, 1.5, norm_type=norm_type)
        assert_close(total, t_total, what=str(norm_type))
        assert_close([p.grad for p in ours], [q.grad for q in theirs], what=str(norm_type))
    p = eager.zeros(2, requires_grad=True)
    p.grad = eager.tensor([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        U.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    p.grad = eager.tensor([-3.0, 0.5])
    U.clip_grad_value_(p, 1.0)
    assert p.grad.tolist() == [-1.0, 0.5]
    assert U.clip_grad_norm_([eager.zeros(1, requires_grad=True)], 1.0).item() == 0.0


def test_parameters_to_vector_and_back():
    lin, t_lin = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    load_torch_weights(lin, t_lin)
    vec = U.parameters_to_vector(lin.parameters())
    t_vec = torch.nn.utils.parameters_to_vector(t_lin.parameters())
    assert_close(vec, t_vec)
    (vec * vec).sum().backward()  # differentiable, as torch's
    np.testing.assert_allclose(lin.weight.grad.numpy(), 2 * lin.weight.detach().numpy())
    U.vector_to_parameters(eager.arange(8.0), lin.parameters())
    assert lin.weight.tolist() == [[0, 1, 2], [3, 4, 5]] and lin.bias.tolist() == [6, 7]
    with pytest.raises(TypeError, match="expected torch.Tensor"):
        U.vector_to_parameters([1.0], lin.parameters())

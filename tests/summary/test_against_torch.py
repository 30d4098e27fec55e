"""eager.summary on every zoo model against torchinfo on the same model written in PyTorch:
the rows (type, depth, output shape, own parameter count) and the parameter totals.

Where torchinfo is not installed, the oracle is torch itself: forward hooks give each call's
output shape and ``p.numel()`` the parameter counts.
"""

from __future__ import annotations

import numpy as np
import pytest

import eager
from compare.training import make_twins
from compare.zoo import model_names

torch = pytest.importorskip("torch")
from torch_zoo import TORCH_ZOO  # noqa: E402

try:
    import torchinfo
except ImportError:  # the hooks below stand in for it
    torchinfo = None


ORACLES = ["hooks"] + (["torchinfo"] if torchinfo is not None else [])


def torch_rows(model, x, oracle: str) -> tuple[list[tuple], int, int]:
    """[(type, depth, output shape, own params or 'recursive')], total, trainable."""
    if oracle == "torchinfo":
        s = torchinfo.summary(model, input_data=[x], verbose=0, depth=10)
        rows = [(r.class_name, r.depth, r.output_size,
                 "recursive" if r.is_recursive else r.trainable_params + (
                     r.num_params - r.trainable_params))
                for r in s.summary_list]
        own = {id(m): sum(p.numel() for p in m.parameters(recurse=False))
               for m in model.modules()}
        rows = [(c, d, o, n if n == "recursive" else own[id(r.module)])
                for (c, d, o, n), r in zip(rows, s.summary_list, strict=True)]
        return rows, s.total_params, s.trainable_params
    rows, stack, seen = [], [], set()

    def pre(m, args):
        rows.append([type(m).__name__, len(stack), None,
                     "recursive" if id(m) in seen and any(True for _ in m.parameters(False))
                     else sum(p.numel() for p in m.parameters(recurse=False))])
        seen.add(id(m))
        stack.append(rows[-1])

    def post(m, args, out):
        stack.pop()[2] = list(out.shape)

    hs = [h for m in model.modules()
          for h in (m.register_forward_pre_hook(pre), m.register_forward_hook(post))]
    with torch.no_grad():
        model(x)
    for h in hs:
        h.remove()
    params = list(model.parameters())
    return ([tuple(r) for r in rows], sum(p.numel() for p in params),
            sum(p.numel() for p in params if p.requires_grad))


def eager_rows(stats) -> list[tuple]:
    return [(r.class_name, r.depth, r.output_size,
             "recursive" if r.recursive and r.num_params else r.num_params)
            for r in stats.summary_list]


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("name", [n for n in model_names() if n in TORCH_ZOO])
def test_zoo_summary_matches_torch(name, oracle):
    case, _ = make_twins(name, np.dtype("float32"), 0)
    x = case.batches[0][0][0]
    torch.manual_seed(0)
    expected, total, trainable = torch_rows(TORCH_ZOO[name](), torch.from_numpy(np.asarray(x)),
                                         oracle)
    stats = eager.summary(case.model, input_data=[x], depth=10, verbose=0)
    assert eager_rows(stats) == expected
    assert (stats.total_params, stats.trainable_params) == (total, trainable)
    assert total == sum(p.numel() for p in case.model.parameters())


def test_every_zoo_model_has_a_torch_twin():
    builtin = {"simplenet", "mlp_digits", "cnn_digits", "gru_seq", "transformer"}
    assert builtin <= set(model_names()) and builtin == set(TORCH_ZOO)

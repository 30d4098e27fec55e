"""eager.nn.modules mirrors torch.nn.modules: every layer eager has is importable from the
submodule torch keeps it in, and the private bases custom layers subclass are there too."""

from __future__ import annotations

import importlib
import inspect

import pytest

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

SUBMODULES = ["activation", "adaptive", "batchnorm", "channelshuffle", "container", "conv",
              "distance", "dropout", "flatten", "fold", "instancenorm", "lazy", "linear", "loss",
              "module", "normalization", "padding", "pixelshuffle", "pooling", "rnn", "sparse",
              "transformer", "upsampling"]


@pytest.mark.parametrize("sub", SUBMODULES)
def test_each_layer_eager_has_is_at_torchs_path(sub):
    theirs = importlib.import_module(f"torch.nn.modules.{sub}")
    ours = importlib.import_module(f"eager.nn.modules.{sub}")
    layers = [name for name, cls in vars(theirs).items() if inspect.isclass(cls)
              and cls.__module__ == theirs.__name__ and not name.startswith("_")
              and hasattr(nn, name)]
    assert ours.__all__
    missing = [name for name in layers if getattr(ours, name, None) is not getattr(nn, name)]
    assert not missing, f"eager.nn.modules.{sub} lacks {missing}"


def test_private_bases_custom_layers_import():
    from eager.nn.modules.batchnorm import _BatchNorm
    from eager.nn.modules.conv import _ConvNd
    from eager.nn.modules.dropout import _DropoutNd
    from eager.nn.modules.instancenorm import _InstanceNorm
    from eager.nn.modules.loss import _Loss, _WeightedLoss
    from eager.nn.modules.module import Module
    from eager.nn.modules.utils import _pair, _quadruple, _single, _triple

    assert issubclass(nn.BatchNorm2d, _BatchNorm) and issubclass(nn.Conv2d, _ConvNd)
    assert issubclass(nn.Dropout, _DropoutNd) and issubclass(nn.InstanceNorm1d, _InstanceNorm)
    assert issubclass(nn.MSELoss, _Loss) and Module is nn.Module
    assert (_single(2), _pair(3), _triple((1, 2, 3)), _quadruple(0)) == \
        ((2,), (3, 3), (1, 2, 3), (0, 0, 0, 0))

    class FocalLoss(_WeightedLoss):
        def forward(self, input, target):
            return nn.functional.cross_entropy(input, target, weight=self.weight,
                                               reduction=self.reduction)
    loss = FocalLoss(weight=eager.tensor([1.0, 2.0]), reduction="sum")
    assert list(loss.state_dict()) == ["weight"] and loss.reduction == "sum"
    assert nn.modules.Linear is nn.Linear and nn.modules.loss._Loss is _Loss


def test_common_types_are_torchs_aliases():
    from eager.nn import common_types as ours
    theirs = torch.nn.common_types
    names = [n for n in vars(theirs) if n.startswith("_") and n.endswith("_t")]
    assert names
    for name in names:
        assert str(getattr(ours, name)).replace("eager.tensor.", "torch.") == \
            str(getattr(theirs, name)), name

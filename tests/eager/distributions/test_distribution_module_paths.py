"""Every ``torch.distributions.<submodule>`` path imports under eager with the public names
torch's module declares (``from torch.distributions.uniform import Uniform`` runs unchanged)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

torch = pytest.importorskip("torch")
SUBMODULES = sorted(m.name for m in pkgutil.iter_modules(torch.distributions.__path__))


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodule_has_torchs_public_names(name):
    expected = getattr(importlib.import_module(f"torch.distributions.{name}"), "__all__", [])
    module = importlib.import_module(f"eager.distributions.{name}")
    missing = [n for n in expected if not hasattr(module, n)]
    assert not missing, f"eager.distributions.{name} lacks {missing}"


def test_path_holds_the_same_class():
    from eager.distributions.relaxed_categorical import RelaxedOneHotCategorical
    from eager.distributions.uniform import Uniform

    import eager.distributions as D

    assert Uniform is D.Uniform and RelaxedOneHotCategorical is D.RelaxedOneHotCategorical

"""The examples in eager.optim's docstrings run as shown (every module's; the modules named
in WITH_EXAMPLES must have some)."""

import doctest
import importlib
import pkgutil

import pytest

import eager.optim

MODULES = ["eager.optim", "eager.optim.lr_scheduler"] + [
    info.name for info in pkgutil.walk_packages(eager.optim.__path__, "eager.optim.")]

WITH_EXAMPLES = {"eager.optim.adam_variants", "eager.optim.asgd", "eager.optim.lbfgs",
                 "eager.optim.optimizer_hooks", "eager.optim.rprop", "eager.optim.swa_utils"}


@pytest.mark.parametrize("name", sorted(set(MODULES)))
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or name not in WITH_EXAMPLES

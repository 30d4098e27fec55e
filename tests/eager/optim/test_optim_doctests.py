"""The examples in eager.optim's docstrings run as shown."""

import doctest
import importlib
import pkgutil

import pytest

import eager.optim

MODULES = ["eager.optim", "eager.optim.lr_scheduler"] + [
    info.name for info in pkgutil.walk_packages(eager.optim.__path__, "eager.optim.")]


@pytest.mark.parametrize("name", sorted(set(MODULES)))
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0

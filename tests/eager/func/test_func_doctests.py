"""The examples in the docstrings of eager.func and eager.autograd.functional run as shown."""

import doctest
import importlib

import pytest

import eager

MODULES = ["eager.func", "eager.func.pytree", "eager.func.grad", "eager.func.jvp",
           "eager.func.jacobians", "eager.func.vmap", "eager.func.functional_call",
           "eager.func.extras", "eager.autograd.functional"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), extraglobs={"eager": eager})
    assert result.failed == 0 and result.attempted > 0

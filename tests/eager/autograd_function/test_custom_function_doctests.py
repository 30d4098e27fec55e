"""The docstring examples of the custom-Function modules run as shown."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["eager.autograd.custom_function", "eager.autograd.function_ctx",
                                  "eager.autograd.once_differentiable"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0

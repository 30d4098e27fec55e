"""The examples in the docstrings of the hook, state-dict and attention-package modules run
as shown."""

import doctest
import importlib

import pytest

import eager

MODULES = ["eager.nn.module_call", "eager.nn.module_state_dict", "eager.nn.attention",
           "eager.nn.attention.bias", "eager.nn.multihead_attention"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    globs = {**vars(module), "eager": eager}
    result = doctest.testmod(module, globs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

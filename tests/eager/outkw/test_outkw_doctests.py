"""The examples in the docstrings of the out= and autocast modules run as shown."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["eager.out_argument", "eager.amp.bfloat16",
                                  "eager.amp.autocast_state"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0

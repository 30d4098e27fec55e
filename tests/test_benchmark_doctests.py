"""The examples in the docstrings of the benchmark modules the tests share run as shown."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["benchmarks.timing", "benchmarks.static_mlp",
                                  "benchmarks.torch_style_models"])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0

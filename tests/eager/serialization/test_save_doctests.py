"""The docstring examples of the checkpoint modules run as shown."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["eager.serialization", "eager.serialization.pickle_reader",
                                  "eager.serialization.pickle_writer"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0

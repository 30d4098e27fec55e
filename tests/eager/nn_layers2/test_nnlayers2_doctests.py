"""The docstring examples of the modules added for the F18/F23 layers run and print what they
show."""

import doctest
import importlib

import pytest

MODULES = ["eager.nn.adaptive", "eager.nn.functional_unpool", "eager.nn.unpooling",
           "eager.nn.functional_with_indices", "eager.nn.functional_alpha_dropout",
           "eager.nn.activation_rrelu", "eager.nn.channel_shuffle",
           "eager.nn.functional_lp_pool", "eager.nn.pooling_lp", "eager.nn.functional_upsample",
           "eager.nn.functional_conv_padding", "eager.nn.functional_fractional_pool",
           "eager.nn.pooling_fractional", "eager.nn.dropout", "eager.nn.init",
           "shared_ops.ops.pool", "shared_ops.ops.pool_windows", "eager.nn.backward_names"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

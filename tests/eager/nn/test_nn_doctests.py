"""The examples in the docstrings of nn, optim, data and serialization run as shown."""

import doctest
import importlib
import math

import numpy as np
import pytest

import eager
import eager.nn as nn

MODULES = ["eager.nn", "eager.nn.module", "eager.nn.containers", "eager.nn.linear",
           "eager.nn.conv", "eager.nn.pooling", "eager.nn.dropout", "eager.nn.normalization",
           "eager.nn.embedding", "eager.nn.parameter", "eager.nn.functional", "eager.nn.init",
           "eager.nn.option_checks",
           "eager.optim.optimizer", "eager.optim.lr_scheduler", "eager.utils.data",
           "eager.serialization",
           # the nn modules added for issue 16
           "eager.nn.activation", "eager.nn.attention", "eager.nn.batchnorm",
           "eager.nn.distance", "eager.nn.functional_activation",
           "eager.nn.functional_attention", "eager.nn.functional_batch_norm",
           "eager.nn.functional_dropout", "eager.nn.functional_loss", "eager.nn.functional_pool",
           "eager.nn.functional_shape", "eager.nn.functional_vector",
           "eager.nn.loss", "eager.nn.parameter_containers", "eager.nn.rnn",
           "eager.nn.transformer", "eager.nn.transformer_layers", "eager.nn.utils",
           "eager.nn.utils.clip_grad", "eager.nn.utils.convert_parameters",
           "eager.nn.activation_more", "eager.nn.functional_activation_more",
           "eager.nn.embedding_bag", "eager.nn.functional_embedding", "eager.nn.group_norm",
           "eager.nn.conv_transpose", "eager.nn.utils.rnn", "eager.nn.functional_pool1d",
           "eager.nn.conv1d", "eager.nn.pooling_1d_adaptive", "eager.nn.padding",
           "eager.nn.upsampling", "eager.nn.instance_norm", "eager.nn.functional_loss_more",
           "eager.nn.loss_more", "eager.nn.margin_lrn", "eager.nn.functional_margin_lrn",
           "eager.nn.bilinear", "eager.nn.fold", "eager.nn.rms_norm",
           "eager.nn.utils.packed_sequence",
           # the module machinery (issue 16: hooks, pruning, parallel, module paths)
           "eager.nn.utils.prune", "eager.nn.utils.topk_ties", "eager.nn.utils.fusion",
           "eager.nn.utils.init", "eager.nn.modules", "eager.nn.modules.utils",
           "eager.nn.parallel", "eager.nn.parallel.sync_batchnorm", "eager.nn.module_state",
           "eager.shared_memory", "eager.distributed", "eager.multiprocessing"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    globs = {**vars(module), "eager": eager, "nn": nn, "np": np, "math": math}
    result = doctest.testmod(module, globs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

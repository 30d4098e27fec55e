"""``dualgraph summary MODEL``: the torchinfo-like layer table of a zoo model.

The eager table comes from one forward pass on the model's first batch; ``--static`` prints
the table of the traced graph instead (the same rows, from module scopes on the graph's
nodes), with the batch dim unknown when the model declares it dynamic.
"""

from __future__ import annotations

import argparse

import numpy as np

from .cli_common import check_models, positive

COLUMNS = ("output_size", "num_params", "trainable", "mult_adds")


def add_parser(subparsers) -> None:
    """Register ``summary``."""
    s = subparsers.add_parser("summary", help="a model's layer table (shapes, parameters, "
                              "mult-adds), as torchinfo prints it")
    s.add_argument("model", metavar="MODEL", help="a zoo model (or one --import registered)")
    s.add_argument("--depth", type=positive, default=3, help="nesting shown (default 3)")
    s.add_argument("--static", action="store_true",
                   help="summarise the traced static graph instead of the eager module")
    s.add_argument("--dtype", choices=("float64", "float32"), default="float32",
                   help="dtype the model is built in (default float32)")


def run(args: argparse.Namespace) -> int:
    """Print the table."""
    import eager
    import static

    from .training import make_twins

    (name,) = check_models([args.model])
    case_e, case_s = make_twins(name, np.dtype(args.dtype), 0)
    inputs = list(case_e.batches[0][0])
    settings = dict(col_names=COLUMNS, depth=args.depth, row_settings=("depth", "var_names"))
    if args.static:
        from static.tracing import TensorSpec

        dyn = set(case_s.dynamic_dims)
        specs = [TensorSpec(tuple(None if i in dyn else d for i, d in
                                  enumerate(np.shape(a))), np.asarray(a).dtype) for a in inputs]
        traced = static.summary_trace(case_s.model, *specs)
        print(static.summary(traced, **settings))
    else:
        eager.summary(case_e.model, input_data=inputs, verbose=1, **settings)
    return 0

"""``dualgraph export``: a zoo model (or one ``--import``ed) as an ONNX file.

    dualgraph export cnn_digits --out cnn.onnx --check
    dualgraph --import mymodels:tiny export tiny --out tiny.onnx

The model is built as ``compare`` builds it (seed 0), in eval mode and float32, traced with
its batch dim (and the model's dynamic dims) unknown, and exported through `static.onnx`;
``--check`` runs onnxruntime beside the static graph on random inputs at two batch sizes and
prints the largest difference (exit status 1 when it exceeds the float32 tolerance 1e-5).
Every failure is one line on stderr and exit status 2: a missing ``onnx`` extra, an op with
no ONNX mapping (named with the user's line), an unwritable ``--out``.
"""

from __future__ import annotations

import argparse

from .cli_common import UsageError, check_models, output_file, positive

TOLERANCE = 1e-5


def add_parser(subparsers) -> None:
    """Register ``export``."""
    e = subparsers.add_parser("export", help="write a model as ONNX (optionally checked with "
                              "onnxruntime)")
    e.add_argument("model", metavar="MODEL", help="a zoo model (or one registered by --import)")
    e.add_argument("--out", metavar="FILE", help="the .onnx file (default MODEL.onnx)")
    e.add_argument("--opset", type=positive, default=None,
                   help="ONNX opset, 18 (the default) to 26 (the newest onnxruntime runs)")
    e.add_argument("--check", action="store_true",
                   help="run onnxruntime and the static graph on random inputs at two batch "
                        "sizes and print the largest difference")
    e.add_argument("--seed", type=int, default=0, help="eager seed for the weights (default 0)")


def run(args: argparse.Namespace) -> int:
    """Export; print what was written (and the check's figures)."""
    from .onnx_column import export_zoo_model, onnx_missing

    (name,) = check_models([args.model])
    reason = onnx_missing()
    if reason is not None:
        raise UsageError(f"dualgraph export: {reason}")
    out = output_file(args.out or f"{name}.onnx", "--out")
    import onnx

    from static.onnx import OnnxExportError, check_agreement

    try:
        _, exported = export_zoo_model(name, seed=args.seed, opset=args.opset)
    except (OnnxExportError, ValueError) as e:
        raise UsageError(f"dualgraph export {name}: {_one_line(e)}") from None
    except Exception as e:  # the user's model failed while tracing: its error, in one line
        raise UsageError(f"dualgraph export {name}: {type(e).__name__}: {_one_line(e)}") \
            from None
    try:
        onnx.save_model(exported.model, str(out))
    except OSError as e:
        raise UsageError(f"dualgraph export: --out {out}: {e.strerror or e}") from None
    model = exported.model
    print(f"wrote {out}: {len(model.graph.node)} ONNX nodes, {len(model.graph.initializer)} "
          f"initializers, opset {model.opset_import[0].version}")
    for io, values in (("input", model.graph.input), ("output", model.graph.output)):
        for v in values:
            dims = " x ".join(d.dim_param or str(d.dim_value)
                              for d in v.type.tensor_type.shape.dim) or "scalar"
            print(f"  {io} {v.name}: {dims}")
    if not args.check:
        return 0
    try:
        result = check_agreement(exported, (2, 5), seed=args.seed)
    except Exception as e:  # onnxruntime's own failure: one line, as every error here
        raise UsageError(f"dualgraph export {name} --check: onnxruntime failed: "
                         f"{_one_line(e)[:300]}") from None
    parts = ", ".join(f"{d:.2e} at batch {b}" for b, d in result.max_abs_diff.items())
    ok = result.worst <= TOLERANCE
    print(f"onnxruntime vs static: max abs difference {parts} (float32, tolerance "
          f"{TOLERANCE:.0e}): {'agrees' if ok else 'DISAGREES'}")
    return 0 if ok else 1


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())

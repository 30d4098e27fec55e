"""ONNX export of static graphs, checked by onnxruntime (the optional ``onnx`` extra).

    >>> import static                                                   # doctest: +SKIP
    >>> static.export_onnx(model, "model.onnx", [static.TensorSpec((None, 10))])

* `export_onnx` / `to_onnx` (`export`): graph, traced function or Module -> ONNX model;
* the op -> ONNX table (`registry`, filled by the ``table_*`` modules, listed by
  `mapping_table` and in docs/ONNX.md);
* `emitter` (naming, constants, source lines as doc strings), `convert` (walking a graph),
  `control_flow` (If/Loop/Scan), `dims` (named dynamic dims);
* `check_agreement` (`verify`): onnxruntime against the static run on random inputs.

Only the table can be read without onnx installed; exporting imports it when called.
"""

from .errors import OnnxExportError
from .export import DEFAULT_OPSET, OnnxExport, export_onnx, to_onnx
from .table import mapping_table, unmapped
from .verify import Agreement, check_agreement

__all__ = ["DEFAULT_OPSET", "Agreement", "OnnxExport", "OnnxExportError", "check_agreement",
           "export_onnx", "mapping_table", "to_onnx", "unmapped"]

"""The model-summary table both modes print (``eager.summary``, ``static.summary``).

It is laid out as torchinfo lays out its ``summary``: a ``Layer (type:depth-idx)`` column,
one column per ``col_names`` entry, then the totals (``Total params``, ``Trainable params``,
``Non-trainable params``, ``Total mult-adds (M)``) and the sizes in MB (10**6 bytes, as
torchinfo counts them). Only the data lives in the modes; the layout lives here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

COLUMNS = {"input_size": "Input Shape", "output_size": "Output Shape",
           "num_params": "Param #", "params_percent": "Param %", "trainable": "Trainable",
           "mult_adds": "Mult-Adds"}
ROW_SETTINGS = ("depth", "var_names", "ascii_only")


@dataclass
class LayerInfo:
    """One row: one call of one module (a module called twice gives two rows)."""

    path: str  # dotted module path ("" for the model itself)
    class_name: str
    depth: int
    depth_index: int = 1
    input_size: Any = None  # a shape as a list, a list of those, or None
    output_size: Any = None
    num_params: int = 0  # the module's own parameters, or its subtree's when collapsed
    trainable: str = "--"  # of the subtree: "True", "False", "Partial", "--" (no parameters)
    macs: int = 0
    output_bytes: int = 0
    is_leaf: bool = True
    recursive: bool = False  # a second call of a module already listed


@dataclass
class ModelStatistics:
    """What ``summary`` returns; ``str()`` of it is the table."""

    summary_list: list[LayerInfo]
    total_params: int
    trainable_params: int
    total_mult_adds: int
    input_bytes: int
    param_bytes: int
    col_names: tuple[str, ...] = ("output_size", "num_params")
    col_width: int = 25
    row_settings: tuple[str, ...] = ("depth",)
    depth: int = 3
    notes: list[str] = field(default_factory=list)

    @property
    def non_trainable_params(self) -> int:
        return self.total_params - self.trainable_params

    @property
    def total_output_bytes(self) -> int:
        """Forward plus backward activations: twice the leaf rows' outputs (torchinfo's rule)."""
        return 2 * sum(r.output_bytes for r in self.summary_list if r.is_leaf)

    def __str__(self) -> str:
        return format_table(self)

    __repr__ = __str__


def check_settings(col_names: Sequence[str], row_settings: Sequence[str], op: str) -> None:
    """ValueError naming the first unknown column or row setting (torchinfo's check)."""
    for name in col_names:
        if name not in COLUMNS:
            raise ValueError(f"{op}: column {name!r} is not a valid column name "
                             f"(valid: {', '.join(COLUMNS)})")
    for name in row_settings:
        if name not in ROW_SETTINGS:
            raise ValueError(f"{op}: row setting {name!r} is not a valid row setting "
                             f"(valid: {', '.join(ROW_SETTINGS)})")


def _shape_text(size: Any) -> str:
    if size is None:
        return "--"
    return str(size).replace("None", "?")


def _cell(row: LayerInfo, col: str, stats: ModelStatistics) -> str:
    if col == "input_size":
        return _shape_text(row.input_size)
    if col == "output_size":
        return _shape_text(row.output_size)
    if col == "num_params":
        if row.recursive and row.num_params:
            return "(recursive)"
        return f"{row.num_params:,}" if row.num_params else "--"
    if col == "params_percent":
        if not row.num_params or row.recursive or not stats.total_params:
            return "--".rjust(7)
        return f"{100 * row.num_params / stats.total_params:.2f}%".rjust(7)
    if col == "trainable":
        return row.trainable
    return f"{row.macs:,}" if row.macs else "--"


def _layer_text(row: LayerInfo, stats: ModelStatistics) -> str:
    ascii_only = "ascii_only" in stats.row_settings
    name = row.class_name
    if "var_names" in stats.row_settings:  # the whole dotted path (torchinfo: the last part)
        name += f" ({row.path or row.class_name})"
    if row.depth == 0:
        return name
    if "depth" in stats.row_settings:
        name += f": {row.depth}-{row.depth_index}"
    # torchinfo's tree: a first-level row hangs off "├─", deeper ones off "└─".
    branch = "+ " if ascii_only else ("├─" if row.depth == 1 else "└─")
    pad = "|    " if ascii_only else "│    "
    return pad * (row.depth - 1) + branch + name


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f}"


def _mult_adds(n: int) -> str:
    unit, scale = ("G", 1e9) if n >= 1e9 else ("M", 1e6)
    return f"Total mult-adds ({unit}): {n / scale:.2f}"


def format_table(stats: ModelStatistics) -> str:
    """The whole summary as text (what ``print(summary(...))`` shows)."""
    rows = [r for r in stats.summary_list if r.depth <= stats.depth]
    first = max([41] + [len(_layer_text(r, stats)) + 2 for r in rows])
    header = "Layer (type (var_name)" if "var_names" in stats.row_settings else "Layer (type"
    header += ":depth-idx)" if "depth" in stats.row_settings else ")"
    width = first - 1 + stats.col_width * len(stats.col_names)
    rule = "=" * width

    def line(first_cell: str, cells: list[str]) -> str:
        return (first_cell.ljust(first) + "".join(c.ljust(stats.col_width + 1) for c in cells)
                ).rstrip()

    out = [rule, line(header, [COLUMNS[c] for c in stats.col_names]), rule]
    out += [line(_layer_text(r, stats), [_cell(r, c, stats) for c in stats.col_names])
            for r in rows]
    out += [rule, f"Total params: {stats.total_params:,}",
            f"Trainable params: {stats.trainable_params:,}",
            f"Non-trainable params: {stats.non_trainable_params:,}",
            _mult_adds(stats.total_mult_adds), rule,
            f"Input size (MB): {_mb(stats.input_bytes)}",
            f"Forward/backward pass size (MB): {_mb(stats.total_output_bytes)}",
            f"Params size (MB): {_mb(stats.param_bytes)}",
            "Estimated Total Size (MB): "
            f"{_mb(stats.input_bytes + stats.total_output_bytes + stats.param_bytes)}", rule]
    out += stats.notes
    return "\n".join(out)

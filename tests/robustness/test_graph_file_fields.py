"""Every field of a saved graph is checked on loading, not only parsed: a re-signed file with a
field of the wrong kind, or a size no run could allocate, is refused with a
`SerializationError` that names the file, the node and the field."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from graph_files import forge, forged, resign, run_both, save_template

import shared_ops as ops
import static
from static import SerializationError
from static.tracing import TensorSpec, trace


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return save_template(tmp_path_factory)


def _node(i, **fields):
    return lambda d: d["nodes"][i].update(fields)


def _nested(depth):
    return {"tuple": [_nested(depth - 1)]} if depth else 1


@pytest.mark.parametrize("edit, message", [
    # shapes: the f64[100000,100000,2] would be a 149 GiB allocation at run time
    (_node(0, shape=[100000, 100000, 2], dtype="float64"),
     r"node 0 \(%x\): field 'shape': shape is too large: output f64\[100000,100000,2\] would have "
     r"20000000000 elements \(149.0 GiB\)"),
    (_node(0, shape=[True, 2]), r"node 0 \(%x\): field 'shape': .* has dim True"),
    (_node(0, shape=[2.0, 2]), r"field 'shape': .* has dim 2.0"),
    (_node(0, shape=[-1, 2]), r"field 'shape': .* has dim -1"),
    (_node(0, shape=["2", 2]), r"field 'shape': .* has dim '2'"),
    (_node(0, shape=[10**30, 0]), r"field 'shape': .* has dim 1000000000000000000000000000000"),
    (_node(0, shape=[None] * 65), r"field 'shape': .* is not a list of at most 64 dims"),
    (_node(0, shape="2x2"), r"field 'shape': shape '2x2' is not a list"),
    (lambda d: d["nodes"][6]["attrs"]["out_avals"]["tuple"][0]["aval"][0].update(
        tuple=[100000, 100000, 2]), r"node 6 \(%cond\): field 'attrs': aval shape is too large"),
    # dtypes: exactly the supported names
    (_node(2, dtype="f32"), r"node 2 \(%matmul\): field 'dtype': dtype 'f32' is not one of "
                            r"bool, uint8, .*float64"),
    (_node(2, dtype="<f4"), r"field 'dtype': dtype '<f4' is not one of"),
    (_node(2, dtype="object"), r"field 'dtype': dtype 'object'"),
    (_node(2, dtype=None), r"field 'dtype': dtype None"),
    # locations
    (lambda d: d["nodes"][2]["location"].__setitem__(1, 0),
     r"node 2 \(%matmul\): field 'location': line 0 is not an int from 1"),
    (lambda d: d["nodes"][2]["location"].__setitem__(1, True), r"field 'location': line True"),
    (lambda d: d["nodes"][2]["location"].__setitem__(1, "3"), r"field 'location': line '3'"),
    (lambda d: d["nodes"][2]["location"].pop(), r"field 'location': .* is not null or \[file"),
    (lambda d: d["nodes"][2]["location"].__setitem__(0, 5),
     r"field 'location': file name must be a string, not int"),
    (lambda d: d["nodes"][2]["location"].__setitem__(2, "f" * 5000),
     r"field 'location': function name is 5000 characters long, over the limit of 4096"),
    (_node(2, location="model.py:3"), r"field 'location': 'model.py:3' is not null or"),
    # meta
    (_node(2, meta={"role": 5}), r"field 'meta': meta 'role' must be a string, not 5"),
    (_node(2, meta={"grad_of": "a b"}), r"field 'meta': meta 'grad_of' 'a b' is not a node"),
    (_node(2, meta={"origin": {"tuple": ["x"]}}),
     r"field 'meta': meta 'origin' must be a list of \(node name, location\) pairs"),
    (_node(2, meta={"composite": "softmax"}), r"meta 'composite' must be a tuple of strings"),
    (_node(2, meta={"bad key": 1}), r"field 'meta': key 'bad key' is not an identifier"),
    (_node(2, meta=[]), r"field 'meta': \[\] is not an object"),
    (_node(2, meta={"note": _nested(20)}), r"field 'meta': value nests deeper than 16 levels"),
    # names
    (_node(2, name=""), r"node 2 \(''\): field 'name': name '' is not a node name"),
    (_node(2, name="a b"), r"node 2 \('a b'\): field 'name'"),
    (_node(2, name=5), r"node 2 \(5\): field 'name': name 5"),
    (_node(2, name="x"), r"node 2 \(%x\): field 'name': %x is repeated"),
    # entries and attrs
    (_node(2, code="print(1)"), r"node 2 \(%matmul\): an entry is an object with the fields"),
    (lambda d: d["nodes"][2].pop("meta"), r"node 2 \(%matmul\): an entry is an object with"),
    (lambda d: d["nodes"][1]["attrs"].update(trainable="yes"),
     r"node 1 \(%w\): field 'attrs': .* are not the attrs of a variable node"),
    (_node(0, attrs={"shape": 1}), r"field 'attrs': .* are not the attrs of a placeholder"),
    (lambda d: d["nodes"][9]["attrs"].update(axis={"float": "1e400"}),
     r"node 9 \(%sum_1\): field 'attrs': unrecognized value \{'float': '1e400'\}"),
    (_node(4, inputs=[0]), r"node 4 \(%constant\): field 'inputs': a constant has no inputs"),
    (_node(2, inputs="01"), r"field 'inputs' is not a list of node indices"),
    (_node(2, inputs=[0, True]), r"field 'inputs': node reference True does not name"),
    # the document
    (lambda d: d.update(code="print(1)"), r"graph.json has the fields \['code', 'format', "),
    (lambda d: d.update(inputs=[0]), r"graph.json has the fields"),
])
def test_field_of_the_wrong_kind_is_refused(saved, tmp_path, edit, message):
    path = forged(saved, tmp_path, edit)
    with pytest.raises(SerializationError, match=message) as info:
        static.load(path)
    assert str(info.value).startswith(f"load: {path / 'graph.json'}")


@pytest.mark.parametrize("old, new, message", [
    ('"shape": [2, 2]', '"shape": [2, NaN]', r"NaN is not a JSON number"),
    ('"axis": 1', '"axis": 1e999', r"unrecognized value inf"),
    ('"trainable": true', '"trainable": true, "trainable": false',
     r"key 'trainable' appears twice in one object"),
])
def test_json_beyond_what_save_writes_is_refused(saved, tmp_path, old, new, message):
    path = forged(saved, tmp_path, lambda d: None)
    text = (path / "graph.json").read_text()
    assert old in text
    (path / "graph.json").write_text(text.replace(old, new, 1))
    resign(path, "graph.json")
    with pytest.raises(SerializationError, match=message):
        static.load(path)


def test_an_array_no_node_holds_is_refused(saved, tmp_path):
    path = forged(saved, tmp_path, lambda d: None)
    with np.load(path / "variables.npz") as npz:
        values = {k: npz[k] for k in npz.files}
    buf = io.BytesIO()
    np.savez(buf, **values, n0=np.zeros((1, 2), np.float32))  # n0: the placeholder
    (path / "variables.npz").write_bytes(buf.getvalue())
    resign(path, "variables.npz")
    with pytest.raises(SerializationError, match=r"variables.npz holds 'n0', the value of no "
                                                 r"variable or constant"):
        static.load(path)


@pytest.fixture
def traced_dir(tmp_path):
    def f(x):
        w = static.variable(np.ones(3, np.float32), name="w")
        static.assign(w, w * 2.0)
        return ops.exp(x) * w

    return static.save(trace(f, TensorSpec((None, 3))), tmp_path / "t")


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(inputs=[3]), r"field 'inputs' names %\w+, a \w+ node; it holds "
                                     r"placeholder nodes"),
    (lambda d: d.update(inputs=[0, 0]), r"field 'inputs' names a node twice"),
    (lambda d: d.update(variables=[0]), r"field 'variables' names %x, a placeholder node"),
    (lambda d: d.update(effects=[0]), r"field 'effects' names %x, a placeholder node; it "
                                      r"holds assign or group nodes"),
    (lambda d: d.update(outputs=[99]), r"field 'outputs': node reference 99 does not name"),
    (lambda d: d.update(outputs=7), r"field 'outputs' is not a list"),
    (lambda d: d.pop("effects"), r"graph.json has the fields"),
])
def test_traced_references_are_checked(traced_dir, edit, message):
    t = static.load(traced_dir)
    x = np.zeros((1, 3), np.float32)
    assert t(x).tolist() == [[1, 1, 1]] and t(x).tolist() == [[2, 2, 2]]  # effects run
    forge(traced_dir, edit)
    with pytest.raises(SerializationError, match=message) as info:
        static.load(traced_dir)
    assert str(info.value).startswith(f"load: {traced_dir / 'graph.json'}")


def test_the_unedited_template_loads_and_runs(saved):
    run_both(static.load(saved))  # the edits above are what makes each file fail


def test_the_template_has_the_nodes_the_edits_name(saved):
    doc = json.loads((saved / "graph.json").read_text())
    assert doc["nodes"][2]["name"] == "matmul" and doc["nodes"][6]["op"] == "cond"
    assert doc["nodes"][9]["attrs"] == {"axis": 1}  # the indices the edits above use

"""Saving and loading graphs with cond / while_loop / scan: bodies are stored as nested node
lists in the same safe format, load back to the same listing, values and gradients (on the
interpreter and compiled), and a tampered body is refused like a tampered graph."""

import hashlib
import json

import numpy as np
import pytest

import eager
import eager.nn as nn
import shared_ops as ops
import static
from static import SerializationError
from static.tracing import trace

RNG = np.random.default_rng(5)
V = RNG.standard_normal(3).astype(np.float32)
W = (RNG.standard_normal((3, 3)) * 0.5).astype(np.float32)
XS = RNG.standard_normal((5, 3)).astype(np.float32)


def cond_graph():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        w = static.variable(W, name="w")
        y = static.cond(ops.sum(x) > 0, lambda a: ops.sin(ops.matmul(w, a)) * 2.0,
                        lambda a: a * a - 1.0, x)
        loss = ops.sum(y)
        static.gradients(loss, [x, w])
    return g, {"x": V}


def while_graph():
    with static.Graph() as g:
        a = static.placeholder((), name="a")
        x, n = static.while_loop(lambda x, n: ops.abs(x * x - a) > 1e-4,
                                 lambda x, n: (0.5 * (x + a / x), n + 1), (a, 0),
                                 maximum_iterations=20)
        loss = x * ops.cast(n, dtype=np.float32)
        static.gradients(loss, [a])
    return g, {"a": np.float32(5.0)}


def scan_graph():
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")
        v = static.placeholder((3,), name="v")

        def step(c, x):
            n, h = c
            h = ops.tanh(h * x + np.float32([0.1, 0.2, 0.3]))  # a body constant
            return (n + 1, h), h * ops.cast(n, dtype=np.float32)

        (_, h), ys = static.scan(step, (np.int64(0), v), xs, reverse=True)
        loss = ops.sum(h) + ops.sum(ys)
        static.gradients(loss, [xs, v])
    return g, {"xs": XS, "v": V}


def nested_graph():
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")
        h0 = static.placeholder((3,), name="h0")
        w = static.variable(W, name="w")

        def step(h, x):
            pre = ops.matmul(w, h) + x
            h = ops.cond(ops.sum(pre) > 0, lambda p: ops.tanh(p), lambda p: p * 0.5, pre)
            inner, _ = ops.scan(lambda a, e: (a * e + 0.1, None), h, ops.stack([x, x]))
            return ops.sin(inner), h * h

        h, ys = static.scan(step, h0, xs)
        loss = ops.sum(h) + ops.sum(ys)
        static.gradients(loss, [w, xs, h0])
    return g, {"xs": XS, "h0": V}


def gru_graph():
    eager.manual_seed(0)
    model = nn.GRU(3, 4, batch_first=True, dtype=eager.float64)
    with static.Graph() as g:
        x = static.placeholder((None, None, 3), np.float64, name="x")
        out, h = trace(model, x)
        loss = static.sum(out * out) + static.sum(h)
        static.gradients(loss, list(g.variables(trainable=True)))
    return g, {"x": RNG.standard_normal((2, 6, 3))}


CASES = {"cond": cond_graph, "while_loop": while_graph, "scan": scan_graph,
         "nested": nested_graph, "gru": gru_graph}


def run_all(graph, feeds):
    """Values of every non-placeholder output node (tuple_get and the rest), interpreted and
    compiled."""
    fetches = [n.name for n in graph.nodes if n.op not in ("placeholder", "variable",
                                                           "constant", "group", "assign")
               and "out_avals" not in n.attrs]
    interpreted = static.compile(graph, fetches, list(feeds), executor="interpret")
    compiled = static.compile(graph, fetches, list(feeds))
    return [f(*feeds.values()) for f in (interpreted, compiled)]


@pytest.mark.parametrize("case", list(CASES))
def test_round_trip_gives_the_same_listing_values_and_gradients(tmp_path, case):
    g, feeds = CASES[case]()
    g2 = static.load(static.save(g, tmp_path / case))
    assert str(g2) == str(g)  # nested listings: every body node, attr and source line
    before, after = run_all(g, feeds), run_all(g2, feeds)
    for b, a in zip(before, after, strict=True):
        for x, y in zip(b, a, strict=True):
            np.testing.assert_array_equal(x, y)
    for x, y in zip(after[0], after[1], strict=True):  # interpreter == compiled
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def test_gradients_built_after_loading(tmp_path):
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")
        h0 = static.placeholder((3,), name="h0")
        h, _ = static.scan(lambda h, x: (ops.tanh(h * x + 0.5), None), h0, xs)
        static.sum(h)
    loaded = static.load(static.save(g, tmp_path / "m"))
    out = loaded.nodes[-1]
    grads = static.gradients(out, [loaded["xs"], loaded["h0"]])
    got = static.Session(loaded).run([out, *grads], {"xs": XS, "h0": V})
    xs_e, h0_e = eager.tensor(XS, requires_grad=True), eager.tensor(V, requires_grad=True)
    h_e, _ = ops.scan(lambda h, x: (ops.tanh(h * x + 0.5), None), h0_e, xs_e)
    ops.sum(h_e).backward()
    np.testing.assert_allclose(got[0], ops.sum(h_e).item(), rtol=1e-6)
    np.testing.assert_allclose(got[1], xs_e.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2], h0_e.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_body_constants_are_stored_with_the_values_under_their_node(tmp_path):
    g, _ = scan_graph()
    path = static.save(g, tmp_path / "m")
    with np.load(path / "variables.npz") as npz:
        body_keys = [k for k in npz.files if ".body." in k]
    assert body_keys and all(k.startswith("n") for k in body_keys)
    doc = json.loads((path / "graph.json").read_text())
    scan = next(e for e in doc["nodes"] if e["op"] == "scan")
    body = scan["attrs"]["body"]["body"]
    assert body["label"] == "fn"
    assert set(body) == {"label", "nodes", "inputs", "outputs", "captures"}
    assert scan["attrs"]["out_avals"]["tuple"][0] == {"aval": [{"tuple": []}, "int64"]}


# -- tampering --------------------------------------------------------------------------------

def forge(path, edit):
    """Edit graph.json and re-sign the manifest, as an attacker could."""
    doc = json.loads((path / "graph.json").read_text())
    edit(doc)
    data = json.dumps(doc).encode()
    (path / "graph.json").write_bytes(data)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"]["graph.json"] = {"sha256": hashlib.sha256(data).hexdigest(),
                                       "bytes": len(data)}
    (path / "manifest.json").write_text(json.dumps(manifest))


def _cond(doc):
    return next(e for e in doc["nodes"] if e["op"] == "cond")


def _true_body(doc):
    return _cond(doc)["attrs"]["branches"]["tuple"][0]["body"]


def _body_node(doc, op):
    return next(e for e in _true_body(doc)["nodes"] if e["op"] == op)


@pytest.mark.parametrize("edit, message", [
    (lambda d: _body_node(d, "sin").update(op="exec"),
     r"node 3 \(%sin\) in body @true_fn of %cond: field 'op': unknown op 'exec'"),
    (lambda d: _body_node(d, "sin").update(op="__import__('os').system"),
     r"in body @true_fn of %cond: field 'op': unknown op \"__import__\('os'\).system\""),
    (lambda d: _body_node(d, "sin").update(shape=[7]),
     r"\(%sin\) in body @true_fn of %cond: %sin = sin\(...\) is saved as f32\[7\] but its "
     r"shape rule gives f32\[3\]"),
    (lambda d: _body_node(d, "sin").update(inputs=[42]),
     r"in body @true_fn of %cond: field 'inputs': node reference 42 does not name an earlier"),
    (lambda d: _body_node(d, "mul")["attrs"].update(evil={"pickle": "gASV"}),
     r"unrecognized value \{'pickle'"),
    (lambda d: _true_body(d).update(outputs=[99]),
     r"body @true_fn refers to node 99, which it does not have"),
    (lambda d: _true_body(d).update(inputs=[]),
     r"body @true_fn's inputs must be each of its placeholders once"),
    (lambda d: _true_body(d).update(captures=5),
     r"body @true_fn has an invalid capture count 5"),
    (lambda d: _true_body(d).update(code="print('hi')"), r"a body must be an object with keys"),
    (lambda d: _true_body(d)["nodes"].append(
        {"name": "g", "op": "group", "inputs": [], "attrs": {}, "shape": [], "dtype": "bool",
         "meta": {}, "location": None}),
     r"body @true_fn holds %g \(group\); bodies may not assign variables"),
    (lambda d: _cond(d)["attrs"]["branches"]["tuple"].pop(),
     r"%cond \(cond\) lacks its body attr 'branches'"),
    (lambda d: _cond(d)["attrs"].update(out_avals={"tuple": [{"aval": [{"tuple": [4]},
                                                                       "float32"]}]}),
     r"%cond = cond\(...\) is saved with outputs \(f32\[4\],\) but its inputs and bodies give "
     r"\(f32\[3\],\)"),
    (lambda d: next(e for e in d["nodes"] if e["op"] == "tuple_get")["attrs"].update(index=3),
     r"%cond.0 must read an output of one control-flow node"),
    (lambda d: next(e for e in d["nodes"] if e["op"] == "sum").update(
        attrs={"branches": {"body": {}}}), r"unrecognized value \{'body'"),
    (lambda d: next(e for e in d["nodes"] if e["op"] == "tuple_get")["attrs"].update(
        index=True), r"%cond.0 \(tuple_get\) has index=True; it must be a count"),
    (lambda d: _cond(d)["attrs"].update(note="x"),
     r"%cond \(cond\) has the attrs \['branches', 'note', 'out_avals'\], expected"),
])
def test_tampered_body_is_rejected_like_a_tampered_graph(tmp_path, edit, message):
    g, _ = cond_graph()
    path = static.save(g, tmp_path / "m")
    forge(path, edit)
    with pytest.raises(SerializationError, match=message):
        static.load(path)


@pytest.mark.parametrize("attr, value, message", [
    ("reverse", "yes", r"has reverse='yes'; it must be a bool"),
    ("length", -1, r"has length=-1; it must be a count or None"),
    ("num_carry", 1.0, r"has num_carry=1.0; it must be a count"),
])
def test_scan_attrs_of_the_wrong_kind_are_rejected(tmp_path, attr, value, message):
    g, _ = scan_graph()
    path = static.save(g, tmp_path / "m")
    forge(path, lambda d: next(e for e in d["nodes"] if e["op"] == "scan")["attrs"].update(
        {attr: value}))
    with pytest.raises(SerializationError, match=r"node \d+ \(%scan\): field 'attrs': %scan "
                                                 r"\(scan\) " + message):
        static.load(path)


def test_body_edit_without_resigning_fails_the_checksum(tmp_path):
    g, _ = cond_graph()
    path = static.save(g, tmp_path / "m")
    text = (path / "graph.json").read_text().replace('"sin"', '"cos"', 1)
    (path / "graph.json").write_text(text)
    with pytest.raises(SerializationError, match=r"checksum mismatch for .*graph.json"):
        static.load(path)


def test_tampered_body_constant_is_rejected(tmp_path):
    g, _ = scan_graph()
    path = static.save(g, tmp_path / "m")
    with np.load(path / "variables.npz") as npz:
        values = {k: npz[k] for k in npz.files}
    key = next(k for k in values if ".body." in k and values[k].shape == (3,))
    values[key] = np.zeros(7, np.float32)
    with open(path / "variables.npz", "wb") as f:
        np.savez(f, **values)
    manifest = json.loads((path / "manifest.json").read_text())
    data = (path / "variables.npz").read_bytes()
    manifest["files"]["variables.npz"] = {"sha256": hashlib.sha256(data).hexdigest(),
                                          "bytes": len(data)}
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SerializationError, match=r"\(%constant\w*\) in body @fn of %scan: "
                                                 r"field 'shape'/'dtype': stored value of "
                                                 r"%constant\w* is float32 \(7,\), graph says "
                                                 r"f32\[3\]"):
        static.load(path)


def test_bodies_nested_too_deep_are_refused(tmp_path, monkeypatch):
    def nest(x, depth):
        if depth == 0:
            return x * 2.0
        return static.cond(ops.sum(x) > 0, lambda v: nest(v, depth - 1), lambda v: v, x)

    with static.Graph() as g:
        nest(static.placeholder((2,), name="x"), 3)
    path = static.save(g, tmp_path / "m")
    assert static.Session(static.load(path)).run("cond.0", {"x": np.ones(2, np.float32)}) \
        .tolist() == [2, 2]
    monkeypatch.setattr("static.serialize_nodes.MAX_BODY_DEPTH", 2)
    with pytest.raises(SerializationError, match=r"%cond nests bodies deeper than 2 levels"):
        static.load(path)

"""Saving graphs with their variables, loading them back (in a fresh process), and refusing
damaged or foreign files."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import shared_ops as ops
import static
from static.serialize import SerializationError, load, save
from static.tracing import TensorSpec, Traced, trace

RNG = np.random.default_rng(7)
X = RNG.standard_normal((4, 3)).astype(np.float32)


def build():
    """A graph using tuples, dtypes, slices, constants and non-trainable variables in attrs."""
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(RNG.standard_normal((3, 2)).astype(np.float32), name="w")
        static.variable(np.zeros((), np.int64), name="step", trainable=False)
        h = ops.add(x @ w, np.array([0.5, -0.5], np.float32))
        s = ops.sum(h, axis=(0, 1), keepdims=True)
        c = ops.cast(h[:, 1:], dtype=np.float64)
        ops.add(ops.mean(c), ops.cast(s, dtype=np.float64)).graph.rename(
            g.nodes[-1], "out")
    return g


def test_round_trip_keeps_nodes_attrs_meta_and_values(tmp_path):
    g = build()
    save(g, tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "graph.json", "manifest.json", "variables.npz"]
    g2 = load(tmp_path / "m")
    assert str(g2) == str(g)  # same listing: names, ops, attrs, avals, source lines
    for a, b in zip(g.nodes, g2.nodes, strict=True):
        assert a.attrs == b.attrs and a.aval == b.aval and a.meta == b.meta
        if a.value is not None:
            np.testing.assert_array_equal(a.value, b.value)
            assert a.value.dtype == b.value.dtype
    feed = {"x": X}
    np.testing.assert_array_equal(static.Session(g).run("out", feed),
                                  static.Session(g2).run("out", feed))
    assert g2["w"].value.flags.writeable and not g2[g.nodes[4].name].value.flags.writeable


def test_saved_values_are_the_current_ones_and_training_state_survives(tmp_path):
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 1), np.float32), name="w")
        loss = ops.mean(ops.mul(x @ w, x @ w))
        train = static.optim.SGD(lr=0.05, momentum=0.9).minimize(loss)
    sess = static.Session(g)
    for _ in range(3):
        sess.run(train, {x: X})
    save(g, tmp_path / "m")
    g2 = load(tmp_path / "m")
    np.testing.assert_array_equal(g2["w"].value, w.value)
    sess2 = static.Session(g2)
    for s, graph in [(sess, g), (sess2, g2)]:  # both continue training identically
        s.run(graph["train"], {graph["x"]: X})
    np.testing.assert_array_equal(g2["w"].value, w.value)
    assert [n.meta["role"] for n in g2.nodes] == [n.meta["role"] for n in g.nodes]


def test_load_in_a_fresh_process_gives_the_same_results(tmp_path):
    g = build()
    save(g, tmp_path / "m")
    expected = static.Session(g).run("out", {"x": X})
    np.save(tmp_path / "x.npy", X)
    script = textwrap.dedent(f"""
        import numpy as np, static
        from static.serialize import load
        g = load({str(tmp_path / "m")!r})
        out = static.Session(g).run("out", {{"x": np.load({str(tmp_path / "x.npy")!r})}})
        np.save({str(tmp_path / "out.npy")!r}, out)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    got = np.load(tmp_path / "out.npy")
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype


def test_traced_graphs_load_back_with_inputs_and_outputs(tmp_path):
    def f(x, y):
        return ops.exp(x) * y, ops.sum(y)

    t = trace(f, TensorSpec((2, 3)), TensorSpec((None, 3)))
    save(t, tmp_path / "t")
    t2 = load(tmp_path / "t")
    assert isinstance(t2, Traced)
    assert [n.name for n in t2.inputs] == ["x", "y"]
    assert [n.name for n in t2.outputs] == [n.name for n in t.outputs]
    for a, b in zip(t(X[:2], X[2:]), t2(X[:2], X[2:]), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("target", ["graph.json", "variables.npz"])
def test_truncated_file_is_rejected(tmp_path, target):
    save(build(), tmp_path / "m")
    path = tmp_path / "m" / target
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(SerializationError, match=rf"{target} is \d+ bytes, the manifest says "
                                                 r"\d+ \(truncated or replaced file\)"):
        load(tmp_path / "m")


@pytest.mark.parametrize("target", ["graph.json", "variables.npz"])
def test_altered_file_is_rejected_by_checksum(tmp_path, target):
    save(build(), tmp_path / "m")
    path = tmp_path / "m" / target
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size
    path.write_bytes(bytes(data))
    with pytest.raises(SerializationError, match=f"checksum mismatch for .*{target}"):
        load(tmp_path / "m")


def rewrite_graph(directory, edit):
    """Edit graph.json and re-sign the manifest, as a forger (or a newer writer) would."""
    import hashlib

    path = directory / "graph.json"
    doc = json.loads(path.read_text())
    edit(doc)
    data = json.dumps(doc).encode()
    path.write_bytes(data)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["files"]["graph.json"] = {"sha256": hashlib.sha256(data).hexdigest(),
                                       "bytes": len(data)}
    (directory / "manifest.json").write_text(json.dumps(manifest))


# A graph.json edited by hand or by an attacker: each edit is refused with what is wrong.
GRAPH_EDITS = {
    "unknown-op": (lambda doc: doc["nodes"][3].update(op="os.system"),
                   r"graph.json: node 3 \(%matmul\): field 'op': unknown op 'os.system'"),
    "inconsistent-aval": (lambda doc: doc["nodes"][3].update(shape=[None, 7]),
                          r"%matmul = matmul\(...\) is saved as f32\[\?,7\] but its shape "
                          r"rule gives f32\[\?,2\]"),
    "unknown-tag": (lambda doc: doc["nodes"][5]["attrs"].update(axis={"__import__": "os"}),
                    "unrecognized value"),
    "forward-reference": (lambda doc: doc["nodes"][3].update(inputs=[0, 9]),
                          "node reference 9 does not name an earlier"),
}


@pytest.mark.parametrize("case", list(GRAPH_EDITS))
def test_an_edited_graph_is_rejected_not_executed(tmp_path, case):
    edit, message = GRAPH_EDITS[case]
    save(build(), tmp_path / "m")
    rewrite_graph(tmp_path / "m", edit)
    with pytest.raises(SerializationError, match=message):
        load(tmp_path / "m")


def test_wrong_format_version_and_missing_files_are_rejected(tmp_path):
    save(build(), tmp_path / "m")
    manifest = tmp_path / "m" / "manifest.json"
    doc = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**doc, "version": 99}))
    with pytest.raises(SerializationError, match="format version 99; this dualgraph reads "
                                                 "version 1"):
        load(tmp_path / "m")
    manifest.write_text("{not json")
    with pytest.raises(SerializationError, match="manifest.json is not valid JSON"):
        load(tmp_path / "m")
    manifest.unlink()
    with pytest.raises(SerializationError, match="manifest.json is missing"):
        load(tmp_path / "m")


def test_unsavable_attr_is_reported_at_save_time(tmp_path):
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        g.add_node("exp", (x,), {"hook": object()}, x.aval, name="odd")
    with pytest.raises(SerializationError, match="cannot store attr 'hook' of %odd: object"):
        save(g, tmp_path / "m")


def test_traced_training_step_round_trips_with_its_updates(tmp_path):
    class Linear:
        def __init__(self):
            self.w = np.ones((3, 1), np.float32)

        def named_parameters(self):
            return [("w", self.w)]

        def __call__(self, x):
            return x @ self.w

    model = Linear()

    def step(x):
        h = trace(model, x)
        loss = ops.mean(ops.mul(h, h))
        static.optim.SGD(lr=0.1).minimize(loss)
        return loss

    t = trace(step, TensorSpec((None, 3)))
    save(t, tmp_path / "t")
    t2 = load(tmp_path / "t")
    assert [n.name for n in t2.effects] == ["train"] and [v.name for v in t2.variables] == ["w"]
    assert t2(X) == t(X)  # same loss; each run also updates its own copy of w
    np.testing.assert_array_equal(t2.graph["w"].value, model.w)
    assert not np.array_equal(model.w, np.ones((3, 1), np.float32))


class _Payload:
    """Unpickling this would create a file: proof that loading ran code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        from pathlib import Path

        return Path.touch, (Path(self.marker),)


def test_pickled_values_are_refused_without_running_them(tmp_path):
    import hashlib

    save(build(), tmp_path / "m")
    marker = tmp_path / "pwned"
    values = tmp_path / "m" / "variables.npz"
    with open(values, "wb") as f:
        np.savez(f, n1=np.array([_Payload(str(marker))], dtype=object))
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    data = values.read_bytes()  # re-signed, so only the format check can stop it
    manifest["files"]["variables.npz"] = {"sha256": hashlib.sha256(data).hexdigest(),
                                          "bytes": len(data)}
    (tmp_path / "m" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SerializationError, match="cannot read .*variables.npz: Object arrays "
                                                 "cannot be loaded when allow_pickle=False"):
        load(tmp_path / "m")
    assert not marker.exists()

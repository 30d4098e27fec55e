"""A small saved graph to forge: every kind of field a graph file has (a placeholder, a
variable, a cond with bodies, attrs, gradients with their meta), and the forger's tools."""

from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np

import shared_ops as ops
import static

X = np.arange(6, dtype=np.float32).reshape(3, 2) - 2.5


def graph() -> static.Graph:
    """Placeholder, variable, a cond with bodies, attrs, gradients (grad_of meta), a sum."""
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        w = static.variable(np.ones((2, 2), np.float32), name="w")
        h = static.matmul(x, w)
        y = static.cond(ops.sum(h) > 0, lambda a: ops.sin(a), lambda a: a * 2.0, h)
        out = ops.sum(y * y, axis=1)
        static.gradients(ops.sum(out), [w])
        ops.sum(h, axis=0)  # last: nothing downstream depends on its shape
    return g


def save_template(tmp_path_factory):
    """The graph saved once per test module (tests copy it with `forged`)."""
    return static.save(graph(), tmp_path_factory.mktemp("template") / "m")


def forge(path, edit) -> None:
    """Edit graph.json and re-sign the manifest, as an attacker can."""
    doc = json.loads((path / "graph.json").read_text())
    edit(doc)
    (path / "graph.json").write_text(json.dumps(doc))
    resign(path, "graph.json")


def resign(path, name: str) -> None:
    """Rewrite the manifest's entry for file ``name``: checksums alone stop no forger."""
    data = (path / name).read_bytes()
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    (path / "manifest.json").write_text(json.dumps(manifest))


def forged(saved, tmp_path, edit):
    path = shutil.copytree(saved, tmp_path / "m")
    forge(path, edit)
    return path


def run_both(g: static.Graph) -> None:
    """Every value node, through `Session.run` and through compiled code."""
    fetches = [n.name for n in g.nodes if n.op not in ("placeholder", "variable", "constant")
               and "out_avals" not in n.attrs]
    static.Session(g).run(fetches, {"x": X})
    static.compiler.compile(g, fetches, ["x"])(X)

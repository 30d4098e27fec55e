"""The harness's contact with the static compiler (``static.compiler``), kept in one place.

Whether the compiler is there, its pass pipeline, its check mode, what each pass reported,
and switching single rewrite rules off for attribution. Every function degrades to "not
available" (None / False / a reason) when the compiler is missing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any


def compiler_module():
    """The ``static.compiler`` package when it provides ``compile``, else None."""
    return _compiler()


def _compiler():
    try:
        from static import compiler
    except ImportError:
        return None
    return compiler if hasattr(compiler, "compile") else None


def compiler_available() -> str | None:
    """None when the static compiler can be used; else why the compiled path is not measured."""
    if _compiler() is None:
        return "static.compiler.compile is not available (interpreter executor used)"
    return None


@contextlib.contextmanager
def rules_switched_off(pass_name: str, rule_names: Sequence[str]) -> Iterator[bool]:
    """Inside the block the named rewrite rules of ``pass_name`` do not fire.

    ``simplify``: its rules table (``RULES_BY_OP``) minus the named rules. ``fuse``: its
    pattern list minus the pattern that makes a rewrite (``fuse_X`` makes ``X`` and
    ``X_backward``). Yields False (and changes nothing) for any other pass or unknown name.
    """
    comp = _compiler()
    if comp is None or pass_name not in ("simplify", "fuse"):
        yield False
        return
    if pass_name == "simplify":
        from static.compiler import simplify_rules

        table = simplify_rules.RULES_BY_OP
        saved = {op: list(rules) for op, rules in table.items()}
        try:
            for rules in table.values():
                rules[:] = [r for r in rules if r.name not in rule_names]
            yield True
        finally:
            for op, rules in saved.items():
                table[op][:] = rules
        return
    from static.compiler import fusion_patterns

    patterns = fusion_patterns.PATTERNS
    wanted = {f"fuse_{r.removesuffix('_backward')}" for r in rule_names}
    saved_patterns = list(patterns)
    if not wanted & {p.__name__ for p in patterns}:
        yield False
        return
    try:
        patterns[:] = [p for p in patterns if p.__name__ not in wanted]
        yield True
    finally:
        patterns[:] = saved_patterns


def pass_names() -> list[str]:
    """The compiler's pipeline, in order (empty without a compiler)."""
    comp = _compiler()
    return [name for name, _ in comp.PIPELINE] if comp is not None else []


def check_mode(plan: Any, inputs, targets, tol: float) -> dict | None:
    """The compiler's own check mode on this batch: each pass's max deviation on the real
    feeds (None without a compiler)."""
    comp = _compiler()
    if comp is None:
        return None
    phs = plan.inputs + plan.targets
    feeds = {p.name: a for p, a in zip(phs, list(inputs) + list(targets), strict=True)}
    compiled = comp.compile(plan.graph, plan.fetches, phs, check={"feeds": feeds, "tol": tol})
    return {"passes": [{"pass": r.name, "max_deviation": r.max_deviation}
                       for r in compiled.reports],
            "suspects": list(compiled.checker.suspects)}


def pass_reports(plan: Any) -> list[dict]:
    """What each compiler pass did to ``plan``'s graph (empty for the interpreter)."""
    return [{"pass": r.name, "nodes_before": r.nodes_before, "nodes_after": r.nodes_after,
             "rewrites": dict(r.rewrites), "ms": r.seconds * 1e3}
            for r in getattr(plan.runner, "reports", ())]

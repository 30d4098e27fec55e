"""Pass attribution: which compiler pass makes the static mode disagree with eager.

The model is re-run from fresh twins with different pass selections:

1. no passes at all: if it still disagrees, no pass is to blame (tracing, code generation or
   a kernel is) and the search stops;
2. the pipeline's prefixes, in order: the first prefix that disagrees ends with the culprit;
3. confirmation: every pass *except* the culprit must agree again (if not, several passes
   contribute and the report says so).

The culprit's own report (what it rewrote, by rule name) comes from the compiler, so a wrong
algebraic rule is named, not only its pass.
"""

from __future__ import annotations

from .modes import compiler_available, pass_names
from .runner import train_and_compare


def _rewrites(twin, pass_name: str) -> dict[str, int]:
    fired: dict[str, int] = {}
    for plan in twin.plans.values():
        for report in getattr(plan.runner, "reports", ()):
            if report.name == pass_name:
                for rule, n in report.rewrites.items():
                    fired[rule] = fired.get(rule, 0) + n
    return fired


def attribute(name: str, *, steps: int, dtype: str = "float64", seed: int = 0) -> dict:
    """Name the pass (and the rewrites it made) responsible for a disagreement."""
    reason = compiler_available()
    if reason is not None:
        return {"pass": None, "text": f"not available: {reason}", "runs": []}
    pipeline = pass_names()
    runs = []

    def check(passes: list[str]) -> tuple[bool, object]:
        agree, twin = train_and_compare(name, steps=steps, dtype=dtype, seed=seed,
                                        passes=passes)
        worst = agree.get("worst_section")
        runs.append({"passes": list(passes), "agrees": agree["agrees"],
                     "max_abs": agree[worst]["max_abs"] if worst else 0.0})
        return agree["agrees"], twin

    everything, _ = check(pipeline)
    if everything:
        return {"pass": None, "runs": runs,
                "text": "all passes on agrees on a fresh run: the disagreement is not "
                        "reproducible from a fresh start (state or nondeterminism)"}
    if not check([])[0]:
        return {"pass": None, "runs": runs,
                "text": "still disagrees with every pass off: no pass is responsible (look at "
                        "tracing, code generation or the kernels; see the node diff)"}
    culprit, twin = None, None
    for k in range(1, len(pipeline) + 1):
        ok, twin = check(pipeline[:k])
        if not ok:
            culprit = pipeline[k - 1]
            break
    if culprit is None:  # order-dependent: only the full pipeline disagrees
        return {"pass": None, "runs": runs,
                "text": "every prefix agrees but the full pipeline does not"}
    rules = _rewrites(twin, culprit)
    alone = check([p for p in pipeline if p != culprit])[0]
    fired = ", ".join(f"{r} x{n}" for r, n in sorted(rules.items())) or "no named rewrites"
    text = (f"pass '{culprit}' is responsible: the pipeline agrees up to the pass before it "
            f"and disagrees once it runs ({fired}); with only '{culprit}' switched off the "
            f"modes {'agree again' if alone else 'still disagree (other passes contribute)'}")
    return {"pass": culprit, "rewrites": rules, "confirmed": alone, "runs": runs, "text": text}

"""Pass attribution: which compiler pass makes the static mode disagree with eager.

The model is re-run from fresh twins with different pass selections:

1. no passes at all: if it still disagrees, no pass is to blame (tracing, code generation or
   a kernel is) and the search stops;
2. the pipeline's prefixes, in order: the first prefix that disagrees ends with the culprit;
3. confirmation: every pass *except* the culprit must agree again (if not, several passes
   contribute and the report says so).

Beside it, the compiler's check mode runs on the first batch (fresh weights, real feeds) and
gives each pass's own max deviation: a second, independent witness.

The culprit's own report (what it rewrote, by rule name) comes from the compiler; when the
pass's rules are a table the harness can edit (``simplify``'s rules, ``fuse``'s patterns),
each rule that fired is then switched off alone, so a wrong rule is named, not only its pass.
"""

from __future__ import annotations

import numpy as np

from .agreement import tolerance_for
from .compiler_adapter import check_mode, compiler_available, pass_names, rules_switched_off
from .modes import StaticTwin
from .training import make_twins, train_and_compare


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

    def check(passes: list[str], note: str = "") -> tuple[bool, object]:
        agree, twin = train_and_compare(name, steps=steps, dtype=dtype, seed=seed,
                                        passes=passes)
        worst = agree.get("worst_section")
        runs.append({"passes": list(passes), "agrees": agree["agrees"], "note": note,
                     "max_abs": agree[worst]["max_abs"] if worst else 0.0})
        return agree["agrees"], twin

    witness = _check_mode(name, dtype, seed)
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
    guilty = _guilty_rules(culprit, sorted(rules), check, pipeline)
    fired = ", ".join(f"{r} x{n}" for r, n in sorted(rules.items())) or "no named rewrites"
    text = (f"pass '{culprit}' is responsible: the pipeline agrees up to the pass before it "
            f"and disagrees once it runs ({fired}); with only '{culprit}' switched off the "
            f"modes {'agree again' if alone else 'still disagree (other passes contribute)'}")
    if guilty:
        text += f"; rule {', '.join(guilty)}: switched off alone, the modes agree again"
    if witness and witness["suspects"]:
        text += f"; the compiler's check mode flags: {', '.join(witness['suspects'])}"
    return {"pass": culprit, "rules": guilty, "rewrites": rules, "confirmed": alone,
            "runs": runs, "check_mode": witness, "text": text}


def _check_mode(name: str, dtype: str, seed: int) -> dict | None:
    _, case = make_twins(name, np.dtype(dtype), seed)
    inputs, targets = case.batches[0]
    plan = StaticTwin(case).plan_for(inputs, targets)
    try:
        return check_mode(plan, inputs, targets, tolerance_for(dtype))
    except Exception as e:  # a witness, not the verdict: say why it is missing
        return {"passes": [], "suspects": [], "error": f"{type(e).__name__}: {e}"}


def _guilty_rules(culprit: str, fired: list[str], check, pipeline: list[str]) -> list[str]:
    """The fired rules whose removal alone (full pipeline) restores agreement."""
    guilty = []
    for rule in fired:
        with rules_switched_off(culprit, [rule]) as switched:
            if switched and check(pipeline, f"rule {rule} off")[0]:
                guilty.append(rule)
    return guilty

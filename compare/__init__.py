"""compare: the harness that runs one model through both modes and holds the results side by side.

    dualgraph compare simplenet --steps 3 --out /tmp/report

Pieces: ``zoo`` (models written once, plus `register_model` for your own), ``modes`` (the only
module that talks to ``eager`` and ``static``), ``runner`` (train both twins and measure),
``agreement``, ``timing``, ``memory``, ``faults`` (the debuggability catalogue), ``report``
(terminal table, JSON with its schema, HTML) and ``cli``.
"""

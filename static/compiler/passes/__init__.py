"""The compiler's passes, one per file, all ``pass_fn(graph, ctx) -> PassReport``."""

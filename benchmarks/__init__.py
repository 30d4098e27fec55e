"""Benchmark scripts (run each as a script, or all through `dualgraph bench`); shipped in the
package so that `dualgraph bench` works from an installed dualgraph, without the repository."""

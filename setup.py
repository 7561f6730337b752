"""Compiles the extraction hot path with mypyc when it can; pure Python otherwise.

The modules are typed and mypy-clean, so mypyc turns them into C extensions that run extraction about a
quarter faster. Set DUBAN_PURE_PYTHON=1 to skip it. A machine without a C compiler gets the same package
in pure Python: every extension is optional, so a failed build is a warning, not a failed install."""

from __future__ import annotations

import os

from setuptools import setup

COMPILED = [f"extractors/{name}.py" for name in (
    "rules", "hits", "segment", "clean", "outline", "meta", "tables", "deadlines", "parties", "directives",
    "pipeline")]


def extensions() -> list[object]:
    if os.environ.get("DUBAN_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    modules = mypycify(COMPILED, opt_level="3")
    for module in modules:
        module.optional = True  # no compiler: keep the pure-Python modules
    return list(modules)


setup(ext_modules=extensions())

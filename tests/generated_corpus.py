"""A generated corpus of state pages (bench/make_corpus.py) for tests that need many files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from helpers import REPO


def make_corpus_module() -> ModuleType:
    if "make_corpus" in sys.modules:
        return sys.modules["make_corpus"]
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


def generate(directory: Path, pages: int, seed: int = 7) -> list[Path]:
    """Write ``pages`` pages under ``directory``; return their paths in name order."""
    module = make_corpus_module()
    module.generate(directory, pages, seed)
    not_pages = {"manifest.json", module.PROVENANCE}  # written next to the pages
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in not_pages)

"""Where doclint keeps what does not depend on a project: parsed rules.yaml files
(:func:`linter.cache.load_parsed_yaml`) and compiled patterns (:mod:`linter.regex_store`).

A module of its own so that the command line finds the directory before it imports the
rules, whose patterns the store then serves.
"""

from __future__ import annotations

import os


def default_directory() -> str:
    """$DOCLINT_CACHE_DIR, else $XDG_CACHE_HOME/doclint, else ~/.cache/doclint."""
    explicit = os.environ.get("DOCLINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "doclint")

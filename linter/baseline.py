"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint is made of what it says, not where it is: the rule id, the matched
text (case and whitespace normalised) and a hash of the enclosing sentence. Adding or
removing paragraphs elsewhere in a file therefore leaves every fingerprint unchanged;
editing the sentence that holds a finding changes it, so the finding is reported again.

The baseline file is JSON::

    {"doclint_baseline": 1,
     "findings": {"content/arkansas.md": {"3f2a…": 1, …}, …}}

Paths are relative to the configuration's root (POSIX separators), so a baseline written
from one directory applies from another. The number after a fingerprint is how many times
that finding occurs in the file: a copy of a baselined sentence is a new finding.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from linter.atomic import write_atomically
from linter.diagnostic import Diagnostic

BASELINE_VERSION = 1


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


def fingerprint(diagnostic: Diagnostic) -> str:
    """A line-independent identity for a finding (16 hex digits)."""
    return fingerprint_of(diagnostic.rule, diagnostic.matched_text, diagnostic.context_text)


def fingerprint_of(rule: str, matched_text: str, context_text: str) -> str:
    """:func:`fingerprint` from the three fields it reads (a reporter formatting spooled rows)."""
    sentence = hashlib.sha256(_normalise(context_text).encode("utf-8")).hexdigest()[:16]
    key = "\0".join((rule, _normalise(matched_text), sentence))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class BaselineError(Exception):
    """The baseline file cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Baseline:
    """Known findings: relative path → fingerprint → how many times it occurs."""

    findings: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def filter(self, relative_path: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """``diagnostics`` of one file without the ones the baseline already knows."""
        known = self.findings.get(relative_path)
        if not known:
            return diagnostics
        remaining = Counter(known)
        kept: list[Diagnostic] = []
        for diagnostic in diagnostics:
            key = fingerprint(diagnostic)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                kept.append(diagnostic)
        return kept

    @property
    def size(self) -> int:
        return sum(sum(counts.values()) for counts in self.findings.values())


def build_baseline(diagnostics: Iterable[Diagnostic], relative: Callable[[str], str]) -> Baseline:
    findings: dict[str, Counter[str]] = {}
    for diagnostic in diagnostics:
        findings.setdefault(relative(diagnostic.path), Counter())[fingerprint(diagnostic)] += 1
    return Baseline({path: dict(sorted(counts.items())) for path, counts in sorted(findings.items())})


def load_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline file not found; create it with 'doclint check --write-baseline {path} PATHS'"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline file: {error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); regenerate it with --write-baseline"
        ) from None
    if not isinstance(data, dict) or data.get("doclint_baseline") != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: not a doclint baseline (version {BASELINE_VERSION}); regenerate it with --write-baseline"
        )
    findings = data.get("findings")
    valid = isinstance(findings, dict) and all(
        isinstance(counts, dict) and all(isinstance(n, int) and not isinstance(n, bool) for n in counts.values())
        for counts in findings.values()
    )
    if not valid:
        raise BaselineError(
            f"{path}: 'findings' must map paths to {{fingerprint: count}}; regenerate it with --write-baseline"
        )
    assert isinstance(findings, dict)
    return Baseline(findings)


def write_baseline(path: str, baseline: Baseline) -> None:
    """Write atomically: a reader never sees half a baseline."""
    text = json.dumps({"doclint_baseline": BASELINE_VERSION, "findings": baseline.findings}, indent=1, sort_keys=True)
    write_atomically(path, (text + "\n").encode("utf-8"))

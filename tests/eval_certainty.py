"""Precision and recall of unsourced-certainty against hand-labelled sentences.

Run from the repository root:

    python tests/eval_certainty.py            # both sets, with every miss and false alarm
    python tests/eval_certainty.py --quiet    # the figures only

A label file (TSV, ``#`` comments) has one row per sentence of the documents it covers:
``file`` (relative to tests/fixtures/), ``line`` and ``column`` where the sentence starts,
``label`` (``fire`` or ``quiet``) and the sentence's first words. Every sentence the parser
finds must be labelled and every label must point at a sentence that starts with the
recorded words, so labels cannot silently drift from the text. A sentence counts as
predicted when the rule reports a diagnostic that starts inside it.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LABEL_SETS: dict[str, Path] = {
    "seeds": FIXTURES / "certainty" / "seeds_labels.tsv",
    "own": FIXTURES / "certainty" / "own_labels.tsv",
}
# Written after the rule was finished and never used for tuning: reported, not asserted.
HELD_OUT: dict[str, Path] = {
    "held-out-1": FIXTURES / "certainty" / "heldout_labels.tsv",  # used once for a lexicon round since
    "held-out-2": FIXTURES / "certainty" / "heldout2_labels.tsv",
}
RULE = "unsourced-certainty"


@dataclass
class Outcome:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    errors: list[str] = field(default_factory=list)  # label/text mismatches
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    @property
    def sentences(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative


@dataclass(frozen=True)
class Label:
    file: str
    line: int
    column: int
    fire: bool
    words: str


def read_labels(path: Path) -> list[Label]:
    labels: list[Label] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("file\t"):
            continue
        parts = raw.split("\t")
        if len(parts) < 5 or parts[3] not in ("fire", "quiet"):
            raise ValueError(f"{path}:{number}: expected file, line, column, fire|quiet, words")
        labels.append(Label(parts[0], int(parts[1]), int(parts[2]), parts[3] == "fire", parts[4]))
    return labels


def evaluate(label_path: Path) -> Outcome:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from helpers import builtin_config, lint

    from linter.parse import parse_document

    config = builtin_config()
    outcome = Outcome()
    labels = read_labels(label_path)
    by_file: dict[str, dict[tuple[int, int], Label]] = {}
    for label in labels:
        by_file.setdefault(label.file, {})[(label.line, label.column)] = label
    for file, file_labels in sorted(by_file.items()):
        text = (FIXTURES / file).read_text(encoding="utf-8")
        document = parse_document(file, text, config.parse_options)
        diagnostics = [d for d in lint(text, path=file, rules=[RULE], config=config) if d.rule == RULE]
        starts: list[tuple[int, int, str, int, int]] = []  # (line, column, text, source start, source end)
        for sentence in document.sentences:
            start, end = sentence.source_range(0, len(sentence.text))
            position = document.position(start)
            starts.append((position.line, position.column, sentence.text, start, end))
        fired: set[tuple[int, int]] = set()
        for diagnostic in diagnostics:
            offset = document.line_starts[diagnostic.line - 1] + diagnostic.column - 1
            for line, column, _, start, end in starts:
                if start <= offset < end:
                    fired.add((line, column))
                    break
        for line, column, sentence_text, _, _ in starts:
            label = file_labels.pop((line, column), None)
            where = f"{file}:{line}:{column}"
            if label is None:
                outcome.errors.append(f"{where}: sentence not labelled: {sentence_text[:60]!r}")
                continue
            if not sentence_text.startswith(label.words.rstrip()):
                outcome.errors.append(f"{where}: label words {label.words!r} do not start {sentence_text[:60]!r}")
            predicted = (line, column) in fired
            if label.fire and predicted:
                outcome.true_positive += 1
            elif label.fire:
                outcome.false_negative += 1
                outcome.misses.append(f"{where}: {sentence_text[:110]}")
            elif predicted:
                outcome.false_positive += 1
                outcome.false_alarms.append(f"{where}: {sentence_text[:110]}")
            else:
                outcome.true_negative += 1
        for (line, column), label in file_labels.items():
            outcome.errors.append(f"{file}:{line}:{column}: label points at no sentence ({label.words[:40]!r})")
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    arguments = parser.parse_args(argv)
    status = 0
    for name, path in {**LABEL_SETS, **HELD_OUT}.items():
        outcome = evaluate(path)
        print(
            f"{name}: {outcome.sentences} sentences, {outcome.true_positive + outcome.false_negative} labelled fire; "
            f"TP {outcome.true_positive} FP {outcome.false_positive} FN {outcome.false_negative}; "
            f"precision {outcome.precision:.3f} recall {outcome.recall:.3f}"
        )
        if outcome.errors:
            status = 1
        if not arguments.quiet:
            for title, items in (
                ("label errors", outcome.errors),
                ("missed", outcome.misses),
                ("false alarms", outcome.false_alarms),
            ):
                for item in items:
                    print(f"  {title}: {item}")
    return status


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())

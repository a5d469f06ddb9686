"""The near search (linter/corpus/match.py) against a direct walk over every posting.

IndexView lets SQLite drop the (sentence, sentence) pairs that cannot reach the threshold
and reads per-run tables of postings; the walk here is the definition it must agree with:
every posting of every usable shingle of our near-duplicate candidates, in Python.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from generated_corpus import generate
from helpers import REFERENCE_DATE, config_from_yaml

from linter.corpus.extract import extractor_for
from linter.corpus.index import CorpusIndex
from linter.corpus.match import MIN_SHARED_WORDS, IndexView, _score
from linter.corpus.model import CorpusDocument, OtherUnit
from linter.corpus.phase import index_location
from linter.corpus.settings import TEMPLATE_OPTIONS
from linter.engine import RunOptions, run

CORPUS_RULES = frozenset({"template-reuse", "entity-leak"})


Postings = dict[int, list[tuple[int, int, int]]]  # shingle → (file, unit, token)


Walk = tuple[Postings, dict[tuple[int, int], set[int]], dict[int, list[tuple[int, int, int]]]]


def all_postings(view: IndexView) -> Walk:
    """Every posting of the corpus; which units of each file hold each shingle; each file's (unit, token, shingle)."""
    postings: Postings = defaultdict(list)
    units_with: dict[tuple[int, int], set[int]] = defaultdict(set)
    own: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    query = "SELECT w.fp, w.file_id, w.unit, w.tok FROM wfp w JOIN temp.corpus c USING (file_id)"
    for fp, file_id, unit, token in view.connection.execute(query):
        postings[fp].append((file_id, unit, token))
        units_with[(fp, file_id)].add(unit)
        own[file_id].append((unit, token, fp))
    return postings, units_with, own


def near_by_walking(
    view: IndexView,
    document: CorpusDocument,
    exact: set[int],
    walk: Walk,
) -> dict[int, tuple[str, tuple[OtherUnit, ...]]]:
    """Our units outside ``exact`` that lightly paraphrase sentences of pages about other subjects."""
    execute = view.connection.execute
    postings, units_with, by_file = walk
    k, shingle = view.k, (1 << view.k) - 1
    df = dict(execute("SELECT fp, df FROM temp.agg_fp").fetchall())
    corpus_topic = {fp for (fp,) in execute("SELECT fp FROM temp.topic_fp")}
    me = document.file_id
    near = {u.index: u for u in document.units if u.index not in exact}
    own = by_file[me]
    topic = {fp for _, _, fp in own if len(units_with[(fp, me)]) >= view.topic_repeat}
    topic |= {fp for _, _, fp in own if fp in corpus_topic}
    our_topic: dict[int, int] = defaultdict(int)
    for unit, token, fp in own:
        if fp in topic:
            our_topic[unit] |= shingle << token
    rows = []
    for unit, token, fp in own:
        if unit not in near or fp not in df or df[fp] > view.max_postings or fp in corpus_topic:
            continue
        for file_id, other, other_token in postings[fp]:
            if file_id != me:
                in_topic = fp in topic or len(units_with[(fp, file_id)]) >= view.topic_repeat
                rows.append((fp, unit, token, file_id, other, other_token, in_topic))
    ours: dict[tuple[int, int, int], int] = {}
    theirs: dict[tuple[int, int, int], int] = {}
    their_topic: dict[tuple[int, int, int], int] = defaultdict(int)
    for _, unit, token, file_id, other, other_token, in_topic in sorted(rows):
        pair = (unit, file_id, other)
        if in_topic:
            our_topic[unit] |= shingle << token
            their_topic[pair] |= shingle << other_token
        else:
            ours[pair] = ours.get(pair, 0) | shingle << token
            theirs[pair] = theirs.get(pair, 0) | shingle << other_token
    minimum = max(MIN_SHARED_WORDS, k + int(TEMPLATE_OPTIONS["window"].default) - 1)
    best: dict[int, dict[int, OtherUnit]] = defaultdict(dict)
    spans: set[int] = set()
    for (unit, file_id, other), covered in ours.items():
        path, subject, multi = view._file(file_id)
        if subject == document.subject:
            continue
        tokens, line, column, end_line, end_column = execute(
            "SELECT tokens, line, col, end_line, end_col FROM units WHERE file_id = ? AND unit = ?", (file_id, other)
        ).fetchone()
        pair = (unit, file_id, other)
        score, span = _score(
            covered,
            our_topic[unit],
            near[unit].tokens,
            theirs[pair],
            their_topic[pair],
            tokens,
            minimum,
            view.long_span,
        )
        if score < view.near_threshold:
            continue
        spans |= {unit} if span else set()
        current = best[unit].get(file_id)
        if current is None or score > current.score:
            best[unit][file_id] = OtherUnit(path, subject, line, column, end_line, end_column, score, multi)
    return {
        unit: (
            "span" if unit in spans else "near",
            tuple(sorted(by_file.values(), key=lambda o: (-o.score, o.path, o.line))[: view.max_related]),
        )
        for unit, by_file in best.items()
    }


def test_near_search_finds_exactly_what_walking_every_posting_finds(tmp_path: Path) -> None:
    pages = generate(tmp_path / "pages", 100)  # topic phrases, templates, paraphrases
    config = config_from_yaml(tmp_path, "extends: default\ncorpus: ['pages/**']\n")
    run([str(p) for p in pages], config, RunOptions(as_of=REFERENCE_DATE, select=CORPUS_RULES))
    index = CorpusIndex(index_location(config), extractor_for(config).fingerprint)
    ids = [int(i) for (i,) in index.connection.execute("SELECT id FROM files ORDER BY id")]
    index.set_corpus(ids, ids)
    view = IndexView(index, config.rules["template-reuse"].options)
    walk = all_postings(view)
    near_found = 0
    for file_id in ids:
        document = index.document(file_id, str(file_id))
        found = view.matches(document)
        exact = {unit for unit, match in found.items() if match.how in ("exact", "proper-nouns")}
        searched = {unit: (match.how, match.others) for unit, match in found.items() if unit not in exact}
        assert searched == near_by_walking(view, document, exact, walk), document.path
        near_found += len(searched)
    assert near_found > 0  # the corpus has paraphrases for the search to find
    index.close()

"""Settings of the corpus analysis: the template-reuse options that shape extraction and matching.

They live on the ``template-reuse`` rule in rules.yaml (entity-leak reads the same units and
matches, so it uses them too). Everything that changes what is stored goes into
:func:`ExtractSettings.fingerprint`, which keys the on-disk index.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from linter.rules.base import OptionSpec

TEMPLATE_REUSE = "template-reuse"
ENTITY_LEAK = "entity-leak"
SCHEMA_VERSION = 4  # 2: wfp.t1; 3: running counts (fp_files, fp_variants, key_subjects); 4: fp_files.variants

TEMPLATE_OPTIONS: Mapping[str, OptionSpec] = {
    "index": OptionSpec(
        "str",
        ".doclint-cache/index.sqlite",
        "corpus index file, relative to rules.yaml's folder (':memory:' keeps none)",
    ),
    "include_headings": OptionSpec(
        "bool", False, "compare headings and question lines too (a series shares them on purpose)"
    ),
    "min_tokens": OptionSpec("int", 8, "shortest sentence compared, in words after masking"),
    "min_content_words": OptionSpec("int", 5, "fewest words that are not masked names, numbers or citations"),
    "shingle": OptionSpec("int", 4, "words per shingle for near-duplicate fingerprints (k)"),
    "window": OptionSpec("int", 2, "winnowing window (any shared run of shingle + window - 1 words is found)"),
    "near_threshold": OptionSpec(
        "float", 0.6, "share of both sentences' words covered by shared shingles to count as a near duplicate"
    ),
    "long_span": OptionSpec(
        "int", 15, "a shared run of this many words is template text whatever the rest of the sentence says"
    ),
    "proper_noun_matches": OptionSpec(
        "bool", True, "also match sentences that differ only in capitalised names (tier 2)"
    ),
    "common_fraction": OptionSpec(
        "float", 0.5, "shingles on this share of pages, each time in a different sentence, are the topic phrase"
    ),
    "common_min_documents": OptionSpec("int", 6, "apply common_fraction only to corpora of at least this many pages"),
    "topic_repeat": OptionSpec(
        "int", 3, "shingles repeated in this many sentences of one page are its topic phrase: ignored"
    ),
    "multi_subject_min": OptionSpec(
        "int", 3, "a page naming this many other subjects is about several (no entity-leak)"
    ),
    "warning_at": OptionSpec("int", 1, "other subjects sharing a sentence for a warning (fewer: info)"),
    "error_at": OptionSpec("int", 5, "other subjects sharing a sentence for an error"),
    "message_related": OptionSpec("int", 3, "other locations named in the message"),
    "max_related": OptionSpec("int", 20, "other locations listed in 'related' (JSON, SARIF)"),
    "max_postings": OptionSpec(
        "int", 200, "shingles on more pages than this (site-wide boilerplate) are not used to find paraphrases"
    ),
    "page_summary": OptionSpec(
        "bool", True, "an info diagnostic on line 1 with the page's share of template sentences"
    ),
}


@dataclass(frozen=True)
class ExtractSettings:
    include_headings: bool = False
    min_tokens: int = 8
    min_content_words: int = 5
    shingle: int = 4
    window: int = 2

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ExtractSettings:
        def get(name: str) -> Any:
            return options.get(name, TEMPLATE_OPTIONS[name].default)

        return cls(
            include_headings=bool(get("include_headings")),
            min_tokens=max(1, int(get("min_tokens"))),
            min_content_words=max(0, int(get("min_content_words"))),
            shingle=max(2, int(get("shingle"))),
            window=max(1, int(get("window"))),
        )

    def fingerprint(self, *parts: object) -> str:
        state = {"schema": SCHEMA_VERSION, "settings": asdict(self), "parts": [str(p) for p in parts]}
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def option(options: Mapping[str, Any], name: str) -> Any:
    return options.get(name, TEMPLATE_OPTIONS[name].default)

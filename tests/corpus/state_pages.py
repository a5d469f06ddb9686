"""Three state pages written from one template (adapted from tests/fixtures/seeds/), for the
corpus rules on editor buffers."""

from __future__ import annotations

from pathlib import Path

SHARED_SECURITY = (
    "State benefit agencies are often required to implement strict data security measures to protect "
    "the personally identifiable information of individuals receiving state benefits."
)
SHARED_ACCESS = (
    "Access to sensitive information is typically limited to authorized personnel within both state benefit "
    "agencies and ICE, and strict protocols are in place to prevent unauthorized access or use of data."
)
# A short first sentence with an emoji (two UTF-16 code units) before the shared one.
ACCESS_LINE = f"Records show a 🔒 mark when sealed. {SHARED_ACCESS}"
ARKANSAS = f"""\
---
title: State Benefits Data Sharing With ICE in Arkansas
state: Arkansas
---

# State Benefits Data Sharing With ICE in Arkansas

## Who decides what data is shared in Arkansas?

The Arkansas Department of Human Services decides which records leave the state, and its data sharing unit \
answers requests from federal agencies within ten business days.

## How is the data protected in Arkansas?

{SHARED_SECURITY}

Arkansas stores benefits records in a system run from Little Rock, and the legislative auditor reviews the \
log of every release each year.
"""
MISSISSIPPI = f"""\
---
title: State Benefits Data Sharing With ICE in Mississippi
state: Mississippi
---

# State Benefits Data Sharing With ICE in Mississippi

## Who decides what data is shared in Mississippi?

In Mississippi, the Department of Human Services and the Division of Medicaid each answer federal requests \
separately, so one person's records can be released twice.

## How is the data protected in Mississippi?

{SHARED_SECURITY}

{SHARED_ACCESS}

Mississippi does not publish a count of the requests it receives, which advocates in Jackson have asked for \
since 2019.
"""
TENNESSEE = f"""\
---
title: State Benefits Data Sharing With ICE in Tennessee
state: Tennessee
---

# State Benefits Data Sharing With ICE in Tennessee

## How is the data protected in Tennessee?

{SHARED_ACCESS}

TennCare publishes a yearly privacy report in Nashville that lists each federal request by program and county.
"""
PAGES = {"arkansas": ARKANSAS, "mississippi": MISSISSIPPI, "tennessee": TENNESSEE}


def write_states(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in PAGES.items():
        paths[name] = directory / f"{name}.md"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def with_lines_before(text: str, anchor: str, *inserted: str) -> str:
    """``text`` with ``inserted`` lines (and a blank line) before the line holding ``anchor``."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if anchor in line)
    return "\n".join([*lines[:at], *inserted, "", *lines[at:]])


def line_of(text: str, fragment: str) -> int:
    """0-based line of ``fragment``."""
    return next(i for i, line in enumerate(text.split("\n")) if fragment in line)

"""Every ``--format``, through the real CLI, with exact positions."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import run_cli, run_result

RULES = """\
extends: default
rules:
  plain-words:
    kind: substitution
    description: Plain words instead of officialese
    severity: warning
    swap:
      utilize: use
"""
# Line 3: an emoji (one code point, two UTF-16 units, four UTF-8 bytes) before "utilize".
PAGE = "# Offices\n\nIt is important to note that we 😀 utilize forms, 100% of them.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "clean.md").write_text("# Offices\n\nThe office opens at nine.\n", encoding="utf-8")
    return tmp_path


def check(project: Path, *arguments: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    completed = run_cli("check", "--no-progress", *arguments, cwd=project, env=env)
    return completed.returncode, completed.stdout, completed.stderr


def test_unix(project: Path) -> None:
    status, out, _ = check(project, "--format", "unix", "page.md")
    assert status == 1
    assert out.splitlines() == [
        "page.md:3:1: 'It is important to note' is a didactic aside that delays the point: "
        "delete it and state the fact directly [boilerplate]",
        "page.md:3:35: use 'use' instead of 'utilize' [plain-words]",
    ]


def test_json_lines(project: Path) -> None:
    _, out, _ = check(project, "--format", "json-lines", "page.md")
    objects = [json.loads(line) for line in out.splitlines()]
    assert [(o["rule"], o["line"], o["column"], o["end_column"], o["suggestion"]) for o in objects] == [
        ("boilerplate", 3, 1, 24, None),
        ("plain-words", 3, 35, 42, "use"),
    ]


def test_github_workflow_commands_escape_percent_and_property_separators(project: Path) -> None:
    page = "It is important to note that 100% of forms, as filed, count.\n"
    (project / "odd, name.md").write_text(page, encoding="utf-8")
    _, out, _ = check(project, "--format", "github", "odd, name.md", "page.md")
    lines = out.splitlines()
    assert lines[0] == (
        "::warning file=odd%2C name.md,line=1,col=1,endLine=1,endColumn=24,title=doclint [boilerplate]::"
        "'It is important to note' is a didactic aside that delays the point: delete it and state the fact directly"
    )
    assert lines[2] == (
        "::warning file=page.md,line=3,col=35,endLine=3,endColumn=42,title=doclint [plain-words]::"
        "use 'use' instead of 'utilize' (suggestion: 'use')"
    )


def test_github_escapes_newlines_and_percent_in_messages() -> None:
    from linter.report.github import escape_data, escape_property

    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_is_chosen_inside_github_actions(project: Path) -> None:
    _, out, _ = check(project, "page.md", env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::warning file=page.md,line=3,col=1,")
    _, text, _ = check(project, "--format", "text", "page.md", env={"GITHUB_ACTIONS": "true"})
    assert text.startswith("page.md:3:1: warning [boilerplate]")
    _, plain, _ = check(project, "page.md", env={"GITHUB_ACTIONS": ""})
    assert plain.startswith("page.md:3:1: warning [boilerplate]")


def test_gitlab_code_quality(project: Path) -> None:
    (project / "twice.md").write_text("We utilize forms.\n\nWe utilize forms.\n", encoding="utf-8")
    _, out, _ = check(project, "--format", "gitlab", "page.md", "twice.md")
    issues = json.loads(out)
    summary = [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["positions"]["begin"]) for i in issues
    ]
    assert summary == [
        ("boilerplate", "minor", "page.md", {"line": 3, "column": 1}),
        ("plain-words", "minor", "page.md", {"line": 3, "column": 35}),
        ("plain-words", "minor", "twice.md", {"line": 1, "column": 4}),
        ("plain-words", "minor", "twice.md", {"line": 3, "column": 4}),
    ]
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == 4  # identical findings in one file still get their own
    # Stable across runs and across an edit above the findings.
    (project / "twice.md").write_text("# New heading\n\nWe utilize forms.\n\nWe utilize forms.\n", encoding="utf-8")
    _, again, _ = check(project, "--format", "gitlab", "page.md", "twice.md")
    assert [issue["fingerprint"] for issue in json.loads(again)] == fingerprints


def test_rdjson_columns_are_utf8_bytes(project: Path) -> None:
    _, out, _ = check(project, "--format", "rdjson", "page.md")
    document = json.loads(out)
    assert document["source"] == {"name": "doclint"}
    substitution = document["diagnostics"][1]
    # "It is important to note that we " is 32 bytes, the emoji 4, a space 1: byte column 38.
    assert substitution["location"] == {
        "path": "page.md",
        "range": {"start": {"line": 3, "column": 38}, "end": {"line": 3, "column": 45}},
    }
    assert substitution["severity"] == "WARNING"
    assert substitution["code"] == {"value": "plain-words"}
    assert substitution["suggestions"] == [{"range": substitution["location"]["range"], "text": "use"}]


def test_checkstyle(project: Path) -> None:
    _, out, _ = check(project, "--format", "checkstyle", "page.md", "clean.md")
    root = ET.fromstring(out)
    assert root.tag == "checkstyle"
    files = {element.get("name"): element for element in root.findall("file")}
    assert set(files) == {"page.md", "clean.md"}
    assert list(files["clean.md"]) == []
    errors = [(e.get("line"), e.get("column"), e.get("severity"), e.get("source")) for e in files["page.md"]]
    assert errors == [("3", "1", "warning", "doclint.boilerplate"), ("3", "35", "warning", "doclint.plain-words")]


def test_junit_has_one_test_case_per_file(project: Path) -> None:
    _, out, _ = check(project, "--format", "junit", "page.md", "clean.md")
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"page.md", "clean.md"}
    assert cases["clean.md"].find("failure") is None
    failure = cases["page.md"].find("failure")
    assert failure is not None and failure.get("message") == "2 findings"
    assert failure.text is not None
    assert "page.md:3:35: warning [plain-words] use 'use' instead of 'utilize'" in failure.text


def test_several_formats_in_one_run(project: Path) -> None:
    arguments = ("--format", "unix", "--output-format", "sarif:out/doclint.sarif", "--output-format", "junit:junit.xml")
    status, out, err = check(project, *arguments, "page.md")
    assert status == 2 and "cannot write the sarif report to out/doclint.sarif" in err  # no such directory
    (project / "out").mkdir()
    status, out, err = check(project, *arguments, "page.md")
    assert status == 1, err
    assert out.startswith("page.md:3:1: ")
    assert json.loads((project / "out" / "doclint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert ET.fromstring((project / "junit.xml").read_text(encoding="utf-8")).tag == "testsuites"


def test_output_format_to_standard_output_replaces_the_default_report(project: Path) -> None:
    _, out, _ = check(project, "--output-format", "json-lines:-", "page.md")
    assert [json.loads(line)["rule"] for line in out.splitlines()] == ["boilerplate", "plain-words"]


def test_bad_output_format_is_a_usage_error(project: Path) -> None:
    status, _, err = check(project, "--output-format", "nope:file.txt", "page.md")
    assert status == 2 and "unknown format 'nope'" in err
    status, _, err = check(project, "--output-format", "sarif", "page.md")
    assert status == 2 and "is not FORMAT:FILE" in err


def test_config_excludes_win_over_files_named_on_the_command_line(project: Path) -> None:
    (project / "rules.yaml").write_text(RULES + 'exclude: ["drafts/**"]\n', encoding="utf-8")
    (project / "drafts").mkdir()
    (project / "drafts" / "wip.md").write_text(PAGE, encoding="utf-8")
    status, out, err = check(project, "--format", "unix", "drafts/wip.md")
    assert (status, out, err) == (0, "", "")
    status, out, _ = check(project, "--format", "unix", "drafts/wip.md", "page.md")
    assert status == 1 and "wip.md" not in out and out.startswith("page.md:3:1:")


def test_editor_one_liner_reads_the_buffer_from_standard_input(project: Path) -> None:
    completed = run_cli("check", "--format", "unix", "--stdin-filename", "notes/page.md", "-", cwd=project, stdin=PAGE)
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[1] == "notes/page.md:3:35: use 'use' instead of 'utilize' [plain-words]"


class _Note(str):
    """A message type of a rule's own."""


def test_json_report_is_laid_out_as_json_dumps_with_indent_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON and JSON-lines reporters write in batches with their own layout code: the
    bytes must not drift."""
    import io

    from linter.diagnostic import Diagnostic, RelatedLocation
    from linter.report import ReportSettings, json_lines, shares
    from linter.report import json as json_report

    related = tuple(RelatedLocation(f"pages/state-{n}.md", n, 1, "the same text") for n in range(1, 4))
    diagnostics = [
        Diagnostic(
            "pages/arkansas.md",
            1,
            1,
            1,
            1,
            "template-reuse",
            "info",
            "page summary: 3 of 9 (33%)",
            extra={"summary": True, "template_share": 0.3333, "subject": "Nuevo León", "nothing": None},
        ),
        Diagnostic(
            "pages/arkansas.md", 7, 3, 7, 90, "template-reuse", "error", 'shared with "Mississippi"\n', related=related
        ),
        Diagnostic("pages/café.md", 2, 5, 2, 9, "plain-words", "warning", "use 'use' 😀", suggestion="use"),
        # a rule's own str subclass: spooled by pickle, laid out by the general route
        Diagnostic(
            "pages/idaho.md", 4, 1, 4, 9, "house-style", "warning", _Note("see the style guide"), related=related
        ),
        # flat data objects, remembered once laid out: True and 1 are equal keys but not the same JSON
        *(
            Diagnostic("pages/ohio.md", line, 1, line, 9, "template-reuse", "warning", "x", extra=extra)
            for line, extra in enumerate(
                (
                    {"match": "exact", "other_subjects": 1},
                    {"match": "exact", "other_subjects": True},
                    {"match": "exact", "other_subjects": 1},
                    {"match": "near", "other_subjects": 1.0, "list": None},
                ),
                1,
            )
        ),
    ]
    monkeypatch.setattr(shares, "BATCH", 2)  # batches of 2: the join between batches is tested too
    for count in (0, 1, 3, 4, 8):
        stream = io.StringIO()
        with run_result(diagnostics[:count], files_checked=3) as result:
            json_report.report(result, stream, ReportSettings())
        expected = json.dumps(
            [json_report.diagnostic_to_json(d) for d in diagnostics[:count]], indent=2, ensure_ascii=False
        )
        assert stream.getvalue() == expected + "\n"
        # json-lines: the same objects, each as json.dumps lays it out on one line
        stream = io.StringIO()
        with run_result(diagnostics[:count], files_checked=3) as result:
            json_lines.report(result, stream, ReportSettings())
        lines = [json.dumps(json_report.diagnostic_to_json(d), ensure_ascii=False) + "\n" for d in diagnostics[:count]]
        assert stream.getvalue() == "".join(lines)


def test_the_text_footer_names_the_directive_of_the_files_with_findings(project: Path) -> None:
    """A plain-text file is silenced with '#', not an HTML comment (which silences nothing there)."""
    (project / "notes.txt").write_text(PAGE.lstrip("# "), encoding="utf-8")
    footers = {}
    for name, paths in {"markdown": ["page.md"], "text": ["notes.txt"], "both": ["page.md", "notes.txt"]}.items():
        completed = run_cli("check", *paths, "--no-cache", "--format", "text", cwd=project)
        assert completed.returncode == 1, completed.stderr
        footers[name] = completed.stdout.splitlines()[-1]
    assert footers["markdown"].endswith(
        "Silence one with <!-- doclint-disable-next-line RULE --> or change rules in rules.yaml."
    )
    assert footers["text"].endswith("Silence one with # doclint-disable-next-line RULE or change rules in rules.yaml.")
    assert "<!-- doclint-disable-next-line RULE --> (# doclint-disable-next-line RULE in plain text)" in footers["both"]
    # and the '#' directive the footer gives does silence the finding in the text file
    silenced = PAGE.lstrip("# ").replace("\n\nIt is", "\n\n# doclint-disable-next-line\nIt is")
    (project / "notes.txt").write_text(silenced, encoding="utf-8")
    completed = run_cli("check", "notes.txt", "--no-cache", "--format", "text", cwd=project)
    assert completed.returncode == 0, completed.stdout


@pytest.mark.parametrize("name", ["gitlab", "rdjson"])
def test_gitlab_and_rdjson_reports_are_laid_out_as_their_generic_route(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both format spooled rows with templates: the bytes must be those of a dict per finding
    laid out by json.dumps with an indent."""
    import importlib
    import io
    from typing import Any

    from linter.diagnostic import Diagnostic, RelatedLocation
    from linter.report import REPORTERS, ReportSettings
    from linter.report.common import indented_json
    from linter.spool import EncodedFindings

    module = importlib.import_module(f"linter.report.{name}")

    def generic(finding: Any, prefix: str) -> str:
        [d] = EncodedFindings([finding.row], finding.findings.paths, finding.findings.messages).decode(finding.path)
        item = module._issue(d, finding.key) if name == "gitlab" else module._diagnostic(finding.lines, d)
        return indented_json(item, prefix)

    line = "It is important to note that we 😀 utilize forms."
    diagnostics = [
        Diagnostic("pages/arkansas.md", 3, 36, 3, 43, "plain-words", "warning", "use 'use'", suggestion="use"),
        Diagnostic(
            "pages/arkansas.md",
            3,
            1,
            3,
            50,
            "template-reuse",
            "info",
            'shared\nwith "2" pages 100%',
            related=(RelatedLocation("pages/ohio.md", 9, 1, ""),),
        ),
        Diagnostic("pages/arkansas.md", 5, 1, 5, 9, "boilerplate", "error", "filler", matched_text="x"),
        Diagnostic("pages/arkansas.md", 6, 1, 6, 9, "boilerplate", "error", "filler", matched_text="x"),
        Diagnostic("pages/café 1.md", 2, 5, 2, 9, "house-style", "warning", _Note("naïve\u2028‘quotes’")),
        Diagnostic("pages/idaho.md", 1, 1, 1, 2, "house-style", "warning", 404),  # type: ignore[arg-type]
    ]
    for count in (0, 1, 4, len(diagnostics)):
        texts = []
        for route in ("rows", "generic"):
            if route == "generic":
                monkeypatch.setattr(module, "_render", generic)
            stream = io.StringIO()
            with run_result(diagnostics[:count], lines={("pages/arkansas.md", 3): line}) as result:
                REPORTERS[name](result, stream, ReportSettings())
            texts.append(stream.getvalue())
            monkeypatch.undo()
        assert texts[0] == texts[1]
        json.loads(texts[0])
    if name == "rdjson":  # code point 36 follows 32 bytes of text, the emoji's 4 and " u": byte column 39
        assert '"column": 39' in texts[0] and '"text": "use"' in texts[0]
    assert '"description": 404' in texts[0] or '"message": 404' in texts[0]


def test_text_carets_line_up_under_tabs_wide_and_combining_characters() -> None:
    """The caret line copies tabs and counts a wide character as two columns, a combining
    mark as none (an ASCII excerpt takes a faster route to the same result)."""
    import io

    from linter.diagnostic import Diagnostic
    from linter.report import REPORTERS, ReportSettings

    ascii_line = "\tIt is important to note."
    wide_line = "東京 e\u0301té office"  # 東 and 京 are wide; U+0301 combines with the e before it
    diagnostics = [
        Diagnostic("pages/a.md", 3, 2, 3, 4, "boilerplate", "warning", "filler"),
        Diagnostic("pages/a.md", 4, 9, 4, 15, "plain-words", "info", "plainer"),
    ]
    stream = io.StringIO()
    lines = {("pages/a.md", 3): ascii_line, ("pages/a.md", 4): wide_line}
    with run_result(diagnostics, lines=lines, files_checked=1) as result:
        REPORTERS["text"](result, stream, ReportSettings())
    output = stream.getvalue().splitlines()
    assert output[1:3] == [f"  3 | {ascii_line}", "    | \t^^"]
    assert output[4:6] == [f"  4 | {wide_line}", "    | " + " " * 9 + "^" * 6]

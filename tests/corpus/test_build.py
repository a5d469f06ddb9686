"""doclint corpus build (local and Dask engines), corpus report, and check --index.

The equivalence test builds the same generated corpus (200 pages, four topics of 50 states)
with the local engine (a process pool of 2) and with the Dask engine on a real
``LocalCluster`` of 2 worker processes, then compares the two SQLite artefacts row for row
and the two ``corpus report --format json`` outputs byte for byte.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from generated_corpus import generate
from helpers import REFERENCE_DATE, run_cli

PAGES = 200
# The report's paraphrase search (max_postings) is cut to keep the test fast (4x); the rules
# themselves are tested in test_rules.py.
CONFIG = "extends: default\nrules:\n  template-reuse:\n    max_postings: 3\n"
AS_OF = ("--as-of", REFERENCE_DATE.isoformat())
CHANGED = "000-state-benefits-data-sharing-with-ice/alabama.md"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, PAGES)
    (root / "rules.yaml").write_text(CONFIG, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    distributed = pytest.importorskip("dask.distributed", reason="needs the 'dask' extra (in 'test')")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def indexes(corpus: Path, cluster: object, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("indexes")
    local, dask = out / "local.sqlite", out / "dask.sqlite"
    built = run_cli("corpus", "build", ".", "--engine", "local", "--jobs", "2", "--index", str(local), cwd=corpus)
    assert built.returncode == 0, built.stderr
    assert f"{PAGES} pages ({PAGES} extracted, 0 unchanged)" in built.stderr
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    built = run_cli(
        "corpus", "build", ".", "--engine", "dask", "--scheduler", address, "--index", str(dask), cwd=corpus
    )
    assert built.returncode == 0, built.stderr
    assert f"{PAGES} pages ({PAGES} extracted, 0 unchanged)" in built.stderr
    assert f"dask at {address}" in built.stderr
    return local, dask


def rows(location: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
    try:
        return {
            "meta": connection.execute("SELECT * FROM meta ORDER BY key").fetchall(),
            "files": connection.execute("SELECT * FROM files ORDER BY id").fetchall(),
            "units": connection.execute("SELECT * FROM units ORDER BY file_id, unit").fetchall(),
            "wfp": connection.execute("SELECT * FROM wfp ORDER BY file_id, unit, tok, fp").fetchall(),
            "report_info": connection.execute("SELECT * FROM report_info ORDER BY file_id").fetchall(),
        }
    finally:
        connection.close()


def test_dask_and_local_builds_write_the_same_rows(indexes: tuple[Path, Path]) -> None:
    local, dask = rows(indexes[0]), rows(indexes[1])
    assert len(local["files"]) == PAGES
    assert len(local["units"]) > 10 * PAGES and len(local["wfp"]) > 100 * PAGES
    for table in local:
        assert local[table] == dask[table], table


def test_dask_and_local_reports_are_identical(corpus: Path, indexes: tuple[Path, Path]) -> None:
    outputs = []
    # The Dask-built index is reported in two processes (slices merged): the same bytes again.
    for index, jobs in zip(indexes, ("1", "2"), strict=True):
        report = run_cli(
            "corpus", "report", "--index", str(index), "--format", "json", "--jobs", jobs, *AS_OF, cwd=corpus
        )
        assert report.returncode == 1, report.stderr  # findings
        assert report.stderr == ""
        outputs.append(report.stdout)
    assert outputs[0] == outputs[1]
    found = json.loads(outputs[0])
    rules = {d["rule"] for d in found}
    assert rules == {"template-reuse", "entity-leak"}
    assert len({d["path"] for d in found}) == PAGES
    assert all(not d["path"].startswith("/") for d in found)  # relative to the working directory


def test_unchanged_files_are_skipped(corpus: Path, indexes: tuple[Path, Path], tmp_path: Path) -> None:
    copy = tmp_path / "again.sqlite"
    copy.write_bytes(indexes[0].read_bytes())
    again = run_cli("corpus", "build", ".", "--jobs", "1", "--index", str(copy), cwd=corpus)
    assert again.returncode == 0, again.stderr
    assert f"{PAGES} pages (0 extracted, {PAGES} unchanged)" in again.stderr


def test_check_index_on_a_changed_file_matches_the_rebuilt_report(
    corpus: Path, indexes: tuple[Path, Path], tmp_path: Path
) -> None:
    artefact = tmp_path / "artefact.sqlite"
    artefact.write_bytes(indexes[0].read_bytes())
    page = corpus / CHANGED
    original = page.read_text(encoding="utf-8")
    # A missed swap (Arkansas's sentence left on Alabama's page) and a suppressed template sentence.
    leaked = original.replace("Local governments in Alabama may adopt", "Local governments in Arkansas may adopt", 1)
    assert leaked != original
    suppressed = (
        "\n<!-- doclint-disable-next-line template-reuse -->\nLocal governments in Alabama may adopt their own "
        "policies on the sharing of state benefits data with ICE within the limits set by state law.\n"
    )
    try:
        page.write_text(leaked + suppressed, encoding="utf-8")
        last_line = len((leaked + suppressed).splitlines())
        before = artefact.stat().st_mtime_ns
        artefact.chmod(0o444)  # a shared, read-only artefact
        checked = run_cli(
            "check", CHANGED, "--index", str(artefact), "--select", "template-reuse,entity-leak",
            "--format", "json", "--no-cache", *AS_OF, cwd=corpus,
        )  # fmt: skip
        assert checked.returncode == 1, checked.stderr
        assert artefact.stat().st_mtime_ns == before
        assert not Path(str(artefact) + "-wal").exists()
        artefact.chmod(0o644)
        rebuilt = run_cli("corpus", "build", ".", "--jobs", "1", "--index", str(artefact), cwd=corpus)
        assert f"{PAGES} pages (1 extracted, {PAGES - 1} unchanged)" in rebuilt.stderr
        reported = run_cli(
            "corpus", "report", CHANGED, "--index", str(artefact), "--format", "json", *AS_OF, cwd=corpus
        )
    finally:
        page.write_text(original, encoding="utf-8")
    assert reported.returncode == 1, reported.stderr
    assert checked.stdout == reported.stdout
    found = json.loads(checked.stdout)
    leaks = [d for d in found if d["rule"] == "entity-leak"]
    assert [(d["line"], d["path"]) for d in leaks] == [(10, CHANGED)]
    assert "Arkansas" in leaks[0]["message"]
    assert not [d for d in found if d["line"] == last_line]  # suppressed
    # ... while the same sentence without the directive (line 12) is reported
    assert "Local governments in Alabama may adopt" in leaked.splitlines()[11]
    assert [d for d in found if d["line"] == 12 and d["rule"] == "template-reuse"]


def test_text_report_quotes_lines_like_check_and_its_cache(
    corpus: Path, indexes: tuple[Path, Path], tmp_path: Path
) -> None:
    page = sorted(str(p.relative_to(corpus)) for p in corpus.glob("001-*/texas.*"))[0]  # the series in text format
    reported = run_cli("corpus", "report", page, "--index", str(indexes[1]), *AS_OF, cwd=corpus)
    assert "\n  " in reported.stdout and " | " in reported.stdout  # the quoted source lines
    cache = str(tmp_path / "cache")
    for _ in ("cold", "from the results cache"):
        checked = run_cli(
            "check", page, "--index", str(indexes[1]), "--select", "template-reuse,entity-leak",
            "--cache-dir", cache, *AS_OF, cwd=corpus,
        )  # fmt: skip
        assert checked.stdout == reported.stdout
    # The artefact is part of the cache key: another artefact (the same page missing) is not answered from it.
    smaller = tmp_path / "smaller.sqlite"
    smaller.write_bytes(indexes[1].read_bytes())
    with sqlite3.connect(smaller) as connection:
        connection.execute("DELETE FROM units WHERE file_id IN (SELECT id FROM files WHERE key LIKE '%/001-%')")
        connection.execute("DELETE FROM wfp WHERE file_id IN (SELECT id FROM files WHERE key LIKE '%/001-%')")
        connection.execute("DELETE FROM files WHERE key LIKE '%/001-%'")
    checked = run_cli(
        "check", page, "--index", str(smaller), "--select", "template-reuse,entity-leak", "--cache-dir", cache,
        *AS_OF, cwd=corpus,
    )  # fmt: skip
    assert checked.stdout != reported.stdout


def test_check_index_refuses_a_missing_or_mismatched_artefact(corpus: Path, indexes: tuple[Path, Path]) -> None:
    missing = run_cli("check", CHANGED, "--index", "nowhere.sqlite", cwd=corpus)
    assert missing.returncode == 2
    assert "nowhere.sqlite does not exist; build it with 'doclint corpus build'" in missing.stderr
    other = corpus.parent / "other-rules.yaml"
    other.write_text("extends: default\nrules:\n  template-reuse:\n    min_tokens: 12\n", encoding="utf-8")
    before = indexes[0].read_bytes()
    mismatched = run_cli("check", CHANGED, "--config", str(other), "--index", str(indexes[0]), cwd=corpus)
    assert mismatched.returncode == 2
    assert "was built with other corpus settings" in mismatched.stderr and "Traceback" not in mismatched.stderr
    assert indexes[0].read_bytes() == before  # never emptied, unlike the CLI's own index
    report = run_cli("corpus", "report", "--config", str(other), "--index", str(indexes[0]), cwd=corpus)
    assert report.returncode == 2 and "was built with other corpus settings" in report.stderr


def test_unreachable_scheduler_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed", reason="needs the 'dask' extra (in 'test')")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    built = run_cli(
        "corpus", "build", CHANGED, "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
        "--connect-timeout", "1", "--index", str(tmp_path / "x.sqlite"), cwd=corpus,
    )  # fmt: skip
    assert built.returncode == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in built.stderr
    assert "Traceback" not in built.stderr


def test_scheduler_needs_the_dask_engine(corpus: Path) -> None:
    built = run_cli("corpus", "build", CHANGED, "--scheduler", "tcp://127.0.0.1:1", cwd=corpus)
    assert built.returncode == 2 and "--scheduler needs --engine dask" in built.stderr


_BLOCK_DASK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError(f"No module named '{name}'")
        return None
sys.meta_path.insert(0, Block())
from linter.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_dask_engine_without_dask_says_how_to_install_it(corpus: Path, tmp_path: Path) -> None:
    index = str(tmp_path / "x.sqlite")
    completed = subprocess.run(
        [sys.executable, "-c", _BLOCK_DASK, "corpus", "build", CHANGED, "--engine", "dask", "--index", index],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "pip install 'doclint[dask]'" in completed.stderr and "Traceback" not in completed.stderr


_IMPORTS = """
import sys
from linter.cli import main
status = [main(["check", sys.argv[1], "--no-cache"]), main(["corpus", "build", sys.argv[1], "--index", sys.argv[2]])]
print(status, sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
"""


def test_check_and_the_local_engine_never_import_dask(corpus: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _IMPORTS, CHANGED, str(tmp_path / "x.sqlite")],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "[1, 0] []"

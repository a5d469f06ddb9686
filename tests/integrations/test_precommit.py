"""The pre-commit hook, run by the real pre-commit against a snapshot of this repository.

pre-commit installs the hook from a git repository at a commit into its own virtualenv
(from PyPI), exactly as for a user. The snapshot includes uncommitted work, so the test
checks the code under test, not the last commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is installed by the test extra")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "doclint tests",
    "GIT_AUTHOR_EMAIL": "tests@doclint.invalid",
    "GIT_COMMITTER_NAME": "doclint tests",
    "GIT_COMMITTER_EMAIL": "tests@doclint.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

FINDING_PAGE = "# Taxes\n\nIt is important to note that the filing deadline is April 15.\n"
CLEAN_PAGE = "# Taxes\n\nThe filing deadline is April 15, according to the state revenue office.\n"


def _git(cwd: Path, *arguments: str, env: dict[str, str]) -> str:
    completed = subprocess.run(["git", *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # HOME stays: pip's download cache there makes the hook install fast after the first run.
    return {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding this working tree (committed and not), at one commit."""
    if not (REPO / ".git").exists():
        pytest.skip("needs the doclint sources as a git checkout")
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        )
        .stdout.decode()
        .split("\0")
    )
    snapshot = tmp_path_factory.mktemp("doclint-hook-repo")
    for name in filter(None, listed):
        source = REPO / name
        if not source.exists() or source.is_dir():
            continue  # deleted in the working tree, or a submodule
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    _git(snapshot, "init", "-q", env=environment)
    _git(snapshot, "add", "-A", env=environment)
    _git(snapshot, "commit", "-q", "-m", "snapshot", env=environment)
    return snapshot, _git(snapshot, "rev-parse", "HEAD", env=environment)


@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory, hook_repository: tuple[Path, str], environment: dict[str, str]
) -> Path:
    """A user's repository whose .pre-commit-config.yaml points at the hook repository."""
    repository, commit = hook_repository
    root = tmp_path_factory.mktemp("project")
    _git(root, "init", "-q", env=environment)
    config = {"repos": [{"repo": str(repository), "rev": commit, "hooks": [{"id": "doclint"}]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "rules.yaml").write_text('extends: default\nexclude: ["drafts/**"]\n', encoding="utf-8")
    (root / "finding.md").write_text(FINDING_PAGE, encoding="utf-8")
    (root / "clean.md").write_text(CLEAN_PAGE, encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "drafts" / "wip.md").write_text(FINDING_PAGE, encoding="utf-8")
    (root / "notes.txt").write_text("It is important to note that offices close at noon.\n", encoding="utf-8")
    _git(root, "add", "-A", env=environment)
    # Install the hook environment once (pip from PyPI); every test below reuses it.
    installed = subprocess.run(
        [str(PRE_COMMIT), "install-hooks"], cwd=root, env=environment, capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return root


def _pre_commit(project: Path, environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--color", "never", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_hook_fails_on_findings_and_shows_the_diagnostics(project: Path, environment: dict[str, str]) -> None:
    completed = _pre_commit(project, environment, "--files", "finding.md")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "doclint" in completed.stdout and "Failed" in completed.stdout
    assert "finding.md:3:1: warning [boilerplate] 'It is important to note'" in completed.stdout


def test_hook_passes_on_a_clean_page(project: Path, environment: dict[str, str]) -> None:
    completed = _pre_commit(project, environment, "--files", "clean.md")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Passed" in completed.stdout


def test_config_excludes_win_over_files_pre_commit_passes(project: Path, environment: dict[str, str]) -> None:
    completed = _pre_commit(project, environment, "--files", "drafts/wip.md", "clean.md")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "wip.md" not in completed.stdout


def test_all_files_checks_markdown_and_text_not_config(project: Path, environment: dict[str, str]) -> None:
    completed = _pre_commit(project, environment, "--all-files")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "finding.md:3:1:" in completed.stdout
    assert "notes.txt:1:1:" in completed.stdout
    assert "drafts/wip.md" not in completed.stdout
    assert "rules.yaml:" not in completed.stdout and ".pre-commit-config.yaml:" not in completed.stdout

"""The README is a contract: every step phrase is documented, the quick start has two commands."""

from __future__ import annotations

import re
import subprocess
import sys

from checks.claims.vocabulary import STEP_PHRASES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_step_phrase_is_documented() -> None:
    found = re.findall(r"^\| `((?:Given|Then) [^`]+)` \|", README, flags=re.MULTILINE)
    documented = {phrase.replace("\\|", "|") for phrase in found}
    assert documented == set(STEP_PHRASES)


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    block = re.search(r"## Quick start\n.*?```\w*\n(.*?)```", README, flags=re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_schemas_match_the_models() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "checks.schemas", "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr

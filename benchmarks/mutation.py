"""Mutation testing of the gate and the engine's decision rules (mutmut; not part of the test suite).

    python -m pip install -e '.[test,mutation]' && python benchmarks/mutation.py

mutmut changes one thing at a time in the modules listed under ``[tool.mutmut]`` in pyproject.toml (a ``<`` into
``<=``, a constant, a condition), runs the selected tests against each mutant, and counts the mutants no test
notices. This prints the mutation score: the share of mutants killed among those that could be tested."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    run = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", "2"], cwd=ROOT, check=False)
    listed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True
    )
    states = Counter(m.group(1) for m in re.finditer(r":\s*(\w[\w ]*)$", listed.stdout, re.M))
    killed, survived = states.get("killed", 0), states.get("survived", 0)
    tested = killed + survived + states.get("timeout", 0)
    print("mutants by state: " + ", ".join(f"{state} {n}" for state, n in sorted(states.items())))
    if tested:
        print(f"mutation score: {killed / tested:.1%} ({killed} killed of {tested} tested)")
    print("survivors: python -m mutmut results; one of them: python -m mutmut show <name>")
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())

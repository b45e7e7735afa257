"""The verdict engine: a pure function of (claim, sources, aliases, thresholds), held in an :class:`Engine`.

Stages, one module each: :mod:`~checks.engine.normalize` (text, aliases, cues) → :mod:`~checks.engine.sentences`
and :mod:`~checks.engine.values` (numbers, dates) → :mod:`~checks.engine.matching` (candidate passages) →
:mod:`~checks.engine.index` (which sources can speak to a claim at all) → :mod:`~checks.engine.screen` (the engine
object) → :mod:`~checks.engine.rules` (the decision) and :mod:`~checks.engine.agreement` (agreement on a value);
:mod:`~checks.engine.consistency` reads a source's headline, summary and FAQ against its own body.
It never imports pytest, files or HTML.
"""

from __future__ import annotations

from checks.engine.agreement import check_values
from checks.engine.normalize import AliasTable
from checks.engine.rules import decide_verdict, describe_value
from checks.engine.screen import Engine, check_claim, check_claims

__all__ = ["AliasTable", "Engine", "check_claim", "check_claims", "check_values", "decide_verdict", "describe_value"]

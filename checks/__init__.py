"""checks: a source-consistency and fact-checking test harness.

Editors state claims in Gherkin under ``features/``; the engine gives every claim a verdict per
source of ``corpus/`` — supported, contradicted, discussed, not mentioned — with the evidence.

The names below are the public API. They are imported on first use, so that ``import checks`` (and the pytest
plugin's entry point, which lives inside this package) costs nothing until a name is needed.

>>> from checks import check_claim, load_corpus
>>> story = load_corpus("corpus").story("bmw-huawei-2025")
>>> [(v.source, v.verdict.value) for v in check_claim("BMW has six R&D centres in China", story)]
[('harmonyos-neue-klasse', 'contradicted'), ('reuters-via-gbaf', 'not_mentioned')]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checks.config import Thresholds
    from checks.corpus import Corpus, load_corpus, validate_corpus
    from checks.engine import AliasTable, Engine, check_claim, check_claims, check_values
    from checks.errors import (
        CheckError,
        ClaimFailure,
        ConfigError,
        CorpusError,
        FeatureError,
        Problem,
        ReportError,
    )
    from checks.models import Claim, Evidence, Section, SectionKind, Source, SourceMetadata, SourceVerdict
    from checks.verdicts import Outcome, Verdict

__version__ = "0.1.0"

_EXPORTS = {
    "AliasTable": "checks.engine",
    "CheckError": "checks.errors",
    "Claim": "checks.models",
    "ClaimFailure": "checks.errors",
    "ConfigError": "checks.errors",
    "Corpus": "checks.corpus",
    "CorpusError": "checks.errors",
    "Engine": "checks.engine",
    "Evidence": "checks.models",
    "FeatureError": "checks.errors",
    "Outcome": "checks.verdicts",
    "Problem": "checks.errors",
    "ReportError": "checks.errors",
    "Section": "checks.models",
    "SectionKind": "checks.models",
    "Source": "checks.models",
    "SourceMetadata": "checks.models",
    "SourceVerdict": "checks.models",
    "Thresholds": "checks.config",
    "Verdict": "checks.verdicts",
    "check_claim": "checks.engine",
    "check_claims": "checks.engine",
    "check_values": "checks.engine",
    "load_corpus": "checks.corpus",
    "validate_corpus": "checks.corpus",
}

__all__ = [
    "AliasTable",
    "CheckError",
    "Claim",
    "ClaimFailure",
    "ConfigError",
    "Corpus",
    "CorpusError",
    "Engine",
    "Evidence",
    "FeatureError",
    "Outcome",
    "Problem",
    "ReportError",
    "Section",
    "SectionKind",
    "Source",
    "SourceMetadata",
    "SourceVerdict",
    "Thresholds",
    "Verdict",
    "__version__",
    "check_claim",
    "check_claims",
    "check_values",
    "load_corpus",
    "validate_corpus",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checks' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

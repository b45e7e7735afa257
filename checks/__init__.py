"""checks: a source-consistency and fact-checking test harness.

Editors state claims in Gherkin under ``features/``; the engine gives every claim a verdict per
source of ``corpus/`` — supported, contradicted, discussed, not mentioned — with the evidence.
"""

from __future__ import annotations

from checks.corpus import Corpus, load_corpus, validate_corpus
from checks.errors import CheckError, ClaimFailure, ConfigError, CorpusError, FeatureError, Problem, ReportError
from checks.models import Claim, Evidence, Section, SectionKind, Source, SourceMetadata, SourceVerdict
from checks.verdicts import Outcome, Verdict

__version__ = "0.1.0"

__all__ = [
    "CheckError",
    "Claim",
    "ClaimFailure",
    "ConfigError",
    "Corpus",
    "CorpusError",
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
    "Verdict",
    "__version__",
    "load_corpus",
    "validate_corpus",
]

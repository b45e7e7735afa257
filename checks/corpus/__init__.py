"""The corpus: sources (article text plus validated metadata) loaded from ``corpus/<story>/<id>.txt|.json``.

:mod:`~checks.corpus.load` reads and validates, :mod:`~checks.corpus.sections` splits a text into headline, body,
summary, FAQ and boilerplate, :mod:`~checks.corpus.ingest` turns an HTML or text file into a new source.
"""

from __future__ import annotations

from checks.corpus.load import Corpus, CorpusReport, content_hash, load_corpus, sha256_text, validate_corpus

__all__ = ["Corpus", "CorpusReport", "content_hash", "load_corpus", "sha256_text", "validate_corpus"]

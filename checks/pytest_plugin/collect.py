"""Native collection of ``.feature`` files: each file is a collector whose tests are its scenarios, so
``pytest features/``, ``pytest features/<folder>`` and ``pytest features/x.feature`` run exactly those files with
no ``test_*.py`` boilerplate. Node ids are ``features/x.feature::test_<scenario>`` (``-k`` and ``-m`` work as
for any test; scenario tags are markers)."""

from __future__ import annotations

import hashlib
import itertools
import re
import types
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_bdd.feature import get_feature
from pytest_bdd.scenario import scenario

__all__ = ["FeatureFile"]


class FeatureFile(pytest.Module):
    """A ``.feature`` file as a test module: one test function per scenario (outlines parametrized by their
    examples), built by pytest-bdd's own ``scenario`` decorator."""

    def _getobj(self) -> types.ModuleType:
        digest = hashlib.sha256(str(self.path).encode("utf-8")).hexdigest()[:12]
        module = types.ModuleType(f"checks_feature_{digest}", f"Scenarios of {self.path.name}")
        module.__file__ = str(self.path)
        base = str(self.path.parent)
        feature = get_feature(base, self.path.name)
        taken: set[str] = set()
        for name in feature.scenarios:
            test = _scenario_test(str(self.path), name, base)
            test_name = next(n for n in _test_names(name) if n not in taken)
            taken.add(test_name)
            test.__name__ = test.__qualname__ = test_name
            test.__module__ = module.__name__
            setattr(module, test_name, test)
        return module


def _test_names(scenario: str) -> Iterator[str]:
    """Readable, distinguishable test names: every run of characters that cannot be in a name becomes one
    underscore, so "Damage estimated at 2.5 million pounds" is ``test_damage_estimated_at_2_5_million_pounds``
    (not ``…_25_million…``); an apostrophe inside a word goes ("BMW's" is ``bmws``); then ``_2``, ``_3``… for
    scenarios that would share one.

    >>> next(_test_names("Damage estimated at 2.5 million pounds"))
    'test_damage_estimated_at_2_5_million_pounds'
    """
    words = re.sub(r"(?<=\w)['’](?=\w)", "", scenario.casefold())  # "BMW's" is one word: bmws
    base = "test_" + (re.sub(r"\W+", "_", words).strip("_") or "scenario")
    yield base
    for number in itertools.count(2):
        yield f"{base}_{number}"


def _scenario_test(path: str, name: str, base: str) -> Any:
    @scenario(path, name, features_base_dir=base)
    def _scenario() -> None:
        pass  # the steps are the test

    return _scenario

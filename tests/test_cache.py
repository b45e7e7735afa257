"""The verdict cache never returns a stale result: each key component, changed in turn, changes the answer; a
corrupt cache is rebuilt, not trusted; answers are the same with and without it (and with xdist)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from checks.cache import VerdictCache
from checks.config import Thresholds
from checks.corpus.load import Corpus, sha256_text
from checks.engine import Engine, check_claim
from checks.engine.matching import source_terms
from checks.engine.normalize import AliasTable
from checks.models import Claim, Source
from tests.factories import seed_project, stable_results

CLAIMS = [
    "BMW will integrate Huawei HiCar into its China-made cars in 2026",
    "BMW adopts HarmonyOS NEXT in its Neue Klasse electric vehicles produced in China",
    "BMW has six R&D centres in China",
    "Nearly 40% of users of BMW's app are in China",
]
ALIASES = AliasTable.from_rows([("HarmonyOS NEXT", ["Harmony OS NEXT"])])


@pytest.fixture
def cache(tmp_path: Path) -> VerdictCache:
    opened = VerdictCache.open(tmp_path / "cache" / "verdicts.sqlite")
    yield opened
    opened.close()


def _sources(seed_corpus: Corpus) -> list[Source]:
    return list(seed_corpus.story("bmw-huawei-2025"))


def test_same_answers_with_and_without_the_cache(cache: VerdictCache, seed_corpus: Corpus) -> None:
    sources = _sources(seed_corpus)
    for text in CLAIMS:
        fresh = check_claim(Claim(text), sources, aliases=ALIASES)
        assert cache.check_claim(Engine(ALIASES, Thresholds()), Claim(text), sources) == fresh
        assert cache.check_claim(Engine(ALIASES, Thresholds()), Claim(text), sources) == fresh
    assert cache.misses == len(CLAIMS) * len(sources) and cache.hits == cache.misses


def test_new_verdicts_are_written_in_batches_and_on_close(tmp_path: Path, seed_corpus: Corpus) -> None:
    sources, path = _sources(seed_corpus), tmp_path / "verdicts.sqlite"
    cache = VerdictCache.open(path)
    cache.check_claim(Engine(ALIASES, Thresholds()), Claim(CLAIMS[0]), sources)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone() == (0,)  # not yet written
    assert cache.misses > 0
    cache.check_claim(Engine(ALIASES, Thresholds()), Claim(CLAIMS[0]), sources)
    assert cache.hits == cache.misses  # answered from the unwritten batch
    cache.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone() == (cache.misses,)
    reopened = VerdictCache.open(path)
    reopened.check_claim(Engine(ALIASES, Thresholds()), Claim(CLAIMS[0]), sources)
    assert (reopened.hits, reopened.misses) == (cache.misses, 0)
    reopened.close()


def test_source_terms_are_kept_and_only_changed_sources_reindexed(
    tmp_path: Path, seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = _sources(seed_corpus)
    edited = [sources[0], _edited_source(sources[1], sources[1].text.replace("BMW", "Bayerische Motoren Werke", 1))]
    computed: list[str] = []

    def counting(source: Source, aliases: AliasTable) -> frozenset[str]:
        computed.append(source.id)
        return source_terms(source, aliases)

    monkeypatch.setattr("checks.cache.source_terms", counting)
    path = tmp_path / "verdicts.sqlite"
    with closing(VerdictCache.open(path)) as cache:
        assert cache.source_terms(sources, ALIASES) == [source_terms(s, ALIASES) for s in sources]
    assert computed == [s.id for s in sources]
    with closing(VerdictCache.open(path)) as cache:
        assert cache.source_terms(sources, ALIASES) == [source_terms(s, ALIASES) for s in sources]
        assert computed == [s.id for s in sources]  # all from the cache
        assert (
            cache.source_terms(edited, ALIASES)[1]
            == source_terms(edited[1], ALIASES)
            != source_terms(sources[1], ALIASES)
        )
        assert computed[len(sources) :] == [sources[1].id]  # only the edited source
        cache.source_terms(sources, AliasTable())  # another alias table: other terms
        assert len(computed) == 2 * len(sources) + 1
    with sqlite3.connect(path) as db:
        db.execute("UPDATE terms SET value = 7")  # a row that is not a list of terms
    with closing(VerdictCache.open(path)) as cache:
        assert cache.source_terms(sources, ALIASES) == [source_terms(s, ALIASES) for s in sources]


def test_processes_of_a_run_split_the_indexing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes (here threads, each with its own connection) index a corpus together: each source once,
    and both get every source's terms."""
    import threading
    import time

    from tests.test_index import make_source

    sources = [make_source(f"Story {i} about BMW and Huawei number {i}.\n", i) for i in range(200)]
    expected = [source_terms(s, ALIASES) for s in sources]

    def slow(source: Source, aliases: AliasTable) -> frozenset[str]:
        time.sleep(0.002)  # long enough for the two to overlap
        return source_terms(source, aliases)

    monkeypatch.setattr("checks.cache.source_terms", slow)
    caches = [VerdictCache.open(tmp_path / "verdicts.sqlite", share=(n, 2)) for n in range(2)]
    answers: dict[int, list[frozenset[str]]] = {}
    threads = [threading.Thread(target=lambda n=n: answers.update({n: caches[n].source_terms(sources, ALIASES)}))
               for n in range(2)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers[0] == answers[1] == expected
    computed = [c.terms_computed for c in caches]
    assert sum(computed) <= len(sources) + 100 and min(computed) >= 50  # shared, at most one stolen batch twice
    for cache in caches:
        cache.close()
    alone = VerdictCache.open(tmp_path / "verdicts.sqlite", share=(1, 2))
    assert alone.source_terms(sources, ALIASES) == expected and alone.terms_computed == 0
    alone.close()
    with pytest.raises(ValueError, match="process 2 of 2"):
        VerdictCache.open(tmp_path / "other.sqlite", share=(2, 2))


def test_a_process_whose_partner_never_comes_indexes_everything(tmp_path: Path) -> None:
    from tests.test_index import make_source

    sources = [make_source(f"Story {i} about BMW.\n", i) for i in range(250)]
    with closing(VerdictCache.open(tmp_path / "verdicts.sqlite", share=(0, 2))) as cache:
        assert cache.source_terms(sources, ALIASES) == [source_terms(s, ALIASES) for s in sources]
        assert cache.terms_computed == len(sources)


def _edited_source(source: Source, text: str) -> Source:
    return dataclasses.replace(source, text=text, sha256=sha256_text(text.encode("utf-8")))


@pytest.mark.parametrize(
    "change",
    ["claim", "alternatives", "aliases", "thresholds", "source text", "source metadata", "source id", "engine code"],
)
def test_every_key_component_changes_the_answer(
    change: str, cache: VerdictCache, seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = _sources(seed_corpus)
    claim, aliases, config = Claim(CLAIMS[0]), ALIASES, Thresholds()
    cache.check_claim(Engine(aliases, config), claim, sources)
    misses = cache.misses
    if change == "claim":
        claim = Claim("BMW will integrate Huawei HiCar into its China-made cars in 2028")
    elif change == "alternatives":
        claim = Claim(claim.text, (("HiCar", "HarmonyOS NEXT"),))
    elif change == "aliases":
        aliases = AliasTable.from_rows([("HiCar", ["Huawei HiCar"])])
    elif change == "thresholds":
        config = Thresholds(supported=99)
    elif change == "source text":
        sources = [_edited_source(s, s.text.replace("2026", "2028")) for s in sources]
    elif change == "source metadata":
        sources = [
            dataclasses.replace(s, metadata=s.metadata.model_copy(update={"published": "2024-01-01"})) for s in sources
        ]
    elif change == "source id":
        sources = [dataclasses.replace(s, id=s.id + "-copy") for s in sources]
    elif change == "engine code":
        monkeypatch.setattr("checks.cache.engine_fingerprint", lambda: "a different engine")
    answer = cache.check_claim(Engine(aliases, config), claim, sources)
    assert cache.misses == misses + len(sources)  # nothing answered from the cache
    assert answer == check_claim(claim, sources, aliases=aliases, config=config)


def test_a_corrupt_cache_file_is_rebuilt(tmp_path: Path, seed_corpus: Corpus) -> None:
    path = tmp_path / "verdicts.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = VerdictCache.open(path)
    sources = _sources(seed_corpus)
    assert cache.check_claim(Engine(ALIASES, Thresholds()), Claim(CLAIMS[2]), sources) == check_claim(
        CLAIMS[2], sources, aliases=ALIASES
    )
    cache.close()


def test_a_corrupt_row_is_not_trusted(cache: VerdictCache, seed_corpus: Corpus) -> None:
    sources = _sources(seed_corpus)
    expected = cache.check_claim(Engine(ALIASES, Thresholds()), Claim(CLAIMS[2]), sources)
    cache.flush()
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE verdicts SET value = ?", (json.dumps({"verdict": "supported"}),))
    assert cache.check_claim(Engine(ALIASES, Thresholds()), Claim(CLAIMS[2]), sources) == expected
    assert cache.misses == 2 * len(sources)


@pytest.mark.slow
def test_a_changed_source_is_rechecked_alone(pytester: pytest.Pytester) -> None:
    """Through pytest: a second run reads the cache and writes identical reports; an edited source changes them."""

    seed_project(pytester)
    pytester.runpytest("features/").assert_outcomes(passed=15, xfailed=1)
    first = _stable(pytester.path / "reports" / "results.json")
    assert (pytester.path / ".checks-cache" / "verdicts.sqlite").is_file()
    pytester.runpytest("features/", "-n", "2").assert_outcomes(passed=15, xfailed=1)
    assert _stable(pytester.path / "reports" / "results.json") == first
    pytester.runpytest("features/", "--checks-no-cache").assert_outcomes(passed=15, xfailed=1)
    assert _stable(pytester.path / "reports" / "results.json") == first
    text = pytester.path / "corpus" / "bmw-huawei-2025" / "harmonyos-neue-klasse.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("nearly 25%", "nearly 40%"), encoding="utf-8")
    meta = text.with_suffix(".json")
    data = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**data, "sha256": sha256_text(text.read_bytes())}), encoding="utf-8")
    result = pytester.runpytest("features/")
    assert result.ret == 1  # the edited source now contradicts the 25 % claim: the cache did not hide it
    result.stdout.fnmatch_lines(["FAILED *test_nearly_25_of_bmws_app_users_in_china_use_huawei_devices*"])


def _stable(path: Path) -> dict[str, object]:
    return stable_results(path)

"""Everything a run writes: the results model (:mod:`~checks.reports.results`, :mod:`~checks.reports.records`),
one renderer per format (HTML, JUnit, Cucumber, ClaimReview), the diff between two runs, the terminal summary,
and the atomic writer. Renderers read results only: they never import the engine or pytest."""

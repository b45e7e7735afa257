"""Claims as editors write them: the step vocabulary as data (:mod:`~checks.claims.vocabulary`), the lint of
feature files (:mod:`~checks.claims.lint`) and stable claim ids (:mod:`~checks.claims.identity`)."""

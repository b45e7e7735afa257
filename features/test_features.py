"""Runs every .feature file under features/: editors never need to edit this file.

pytest-bdd turns each scenario into a test; the step phrases come from the `checks` package.
"""

from pytest_bdd import scenarios

scenarios(".")

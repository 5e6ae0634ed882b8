"""Options for the whole suite (a conftest at the root, so pytest reads it before parsing them)."""

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="WHEN",
        help="run the suite as if the clock read WHEN (ISO 8601, e.g. 2028-02-29T09:00+08:00); "
        "finds tests that only pass on the day they were written",
    )


def pytest_configure(config: pytest.Config) -> None:
    when = config.getoption("--clock")
    if when:
        import time_machine

        # tick=True: time goes on from WHEN, so timeouts and ordering by time still work.
        config._clock_traveller = time_machine.travel(when, tick=True)
        config._clock_traveller.start()

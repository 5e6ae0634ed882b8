"""`pytest --clock WHEN` (the root conftest.py) runs the suite as if the clock read WHEN."""

import time
from datetime import date, datetime
from types import SimpleNamespace

from django.utils import timezone


def root_conftest(config):
    return config.pluginmanager.get_plugin(str(config.rootpath / "conftest.py"))


def test_the_clock_option_sets_the_day_and_lets_time_go_on(request):
    plugin = root_conftest(request.config)
    before = date.today()
    stub = SimpleNamespace(getoption=lambda name: "2031-01-20T08:00+08:00")
    plugin.pytest_configure(stub)
    try:
        assert date.today() == date(2031, 1, 20)
        assert timezone.now().isoformat().startswith("2031-01-20T00:00")
        first = datetime.now()
        time.sleep(0.01)
        assert datetime.now() > first  # ticking, not frozen: timeouts still work
    finally:
        stub._clock_traveller.stop()
    assert date.today() == before


def test_without_the_option_the_clock_is_left_alone(request):
    plugin = root_conftest(request.config)
    stub = SimpleNamespace(getoption=lambda name: None)
    plugin.pytest_configure(stub)
    assert not hasattr(stub, "_clock_traveller")

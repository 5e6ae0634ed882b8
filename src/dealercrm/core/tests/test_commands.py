"""`dealercrm demo`, `dealercrm serve` and `dealercrm worker`, without serving forever."""

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.utils import translation
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from dealercrm.accounts.models import User
from dealercrm.companies.models import Company
from dealercrm.core.management.commands import serve
from dealercrm.customers import demo
from dealercrm.customers.models import Customer
from dealercrm.retention.models import CustomerScore
from dealercrm.sales.models import OrderLine

SRC = Path(__file__).resolve().parents[3]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_demo(monkeypatch):
    """A demo dealer with 30 terminals: these tests are about the command, not the data."""
    monkeypatch.setattr(demo, "TERMINAL_COUNT", 30)
    monkeypatch.delenv("DATABASE_URL", raising=False)


# ---------------------------------------------------------------------------- demo


@pytest.mark.django_db
def test_demo_without_serving_loads_the_dealer_prints_the_logins_and_a_rerun_reuses_it(
    small_demo,
):
    first = run("demo", "--no-serve")

    company = Company.objects.get(code="DEMO")
    assert Customer.objects.for_company(company).count() == 33
    for login in ("boss", "manager1", "clerk", "rep01", demo.PASSWORD):
        assert login in first
    assert "http://127.0.0.1:8000/" in first
    assert Client().login(username="manager1", password=demo.PASSWORD)

    # Two years of sales, already classed and scored, so every page has something to show.
    assert OrderLine.objects.for_company(company).filter(amount__lt=0).exists()
    assert OrderLine.objects.for_company(company).dates("date", "month").count() >= 24
    classes = set(Customer.objects.for_company(company).values_list("abc_class", flat=True))
    assert classes == {"A", "B", "C"}
    assert CustomerScore.objects.for_company(company).count() == 33
    assert "order lines" in first

    second = run("demo", "--no-serve", "--port", "8765")
    assert "loaded earlier" in second
    assert "http://127.0.0.1:8765/" in second
    assert Company.objects.filter(code="DEMO").count() == 1
    assert Customer.objects.for_company(company).count() == 33
    assert User.objects.filter(company=company).count() == 16


@pytest.mark.django_db
def test_demo_reset_rebuilds_the_dealer_from_scratch(small_demo):
    run("demo", "--no-serve")
    Customer.objects.filter(code="T0001").update(name="改过的名字")

    run("demo", "--no-serve", "--reset")

    company = Company.objects.get(code="DEMO")
    assert Customer.objects.for_company(company).count() == 33
    assert Customer.objects.get(company=company, code="T0001").name != "改过的名字"
    assert User.objects.filter(username="boss").count() == 1


@pytest.mark.django_db
def test_demo_refuses_a_configured_database_unless_forced(small_demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://crm@db.example/crm")

    with pytest.raises(CommandError, match="DATABASE_URL"):
        run("demo", "--no-serve")
    assert not Company.objects.filter(code="DEMO").exists()

    run("demo", "--no-serve", "--force")
    assert Company.objects.filter(code="DEMO").exists()


def test_demo_refuses_a_port_out_of_range():
    with pytest.raises(CommandError, match="port"):
        run("demo", "--port", "70000")


def test_demo_static_files_are_served_with_debug_off(tmp_path):
    # Straight from the package (WhiteNoise's finders), before any collectstatic.
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path):
        response = Client().get("/static/vendor/bootstrap/5.3.9/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in b"".join(response.streaming_content)[:500]


def test_demo_from_a_fresh_data_directory_creates_its_sqlite_database_there(tmp_path):
    env = {"DEALERCRM_HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env["PYTHONPATH"] = str(SRC)

    result = subprocess.run(
        [sys.executable, "-m", "dealercrm", "demo", "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dealercrm.sqlite3").exists()
    assert "rep01" in result.stdout
    assert demo.PASSWORD in result.stdout


# ---------------------------------------------------------------------------- serve


@pytest.mark.django_db
def test_serve_check_prints_the_gunicorn_and_worker_command_lines():
    out = run("serve", "--check", "--bind", "0.0.0.0:9000", "--workers", "3")

    assert "Migrations: up to date." in out
    web = next(line for line in out.splitlines() if line.startswith("web: "))
    assert "-m gunicorn dealercrm.wsgi:application --bind 0.0.0.0:9000 --workers 3" in web
    worker = next(line for line in out.splitlines() if line.startswith("worker: "))
    assert worker.endswith("-m dealercrm worker")


def test_serve_refuses_zero_workers():
    with pytest.raises(CommandError, match="workers"):
        run("serve", "--check", "--workers", "0")


@pytest.mark.django_db
def test_serve_refuses_to_start_while_migrations_are_unapplied():
    latest = MigrationRecorder.Migration.objects.filter(app="customers").latest("id")
    latest.delete()

    with pytest.raises(CommandError, match="serve --migrate"):
        run("serve", "--bind", "127.0.0.1:1")


def test_gunicorn_bind_addresses_are_read_as_host_and_port():
    assert serve.tcp_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert serve.tcp_address("[::1]:8080") == ("::1", 8080)
    assert serve.tcp_address(":8000") == ("0.0.0.0", 8000)
    assert serve.tcp_address("unix:/run/dealercrm.sock") is None


def test_supervisor_stops_the_other_children_when_one_ends(tmp_path):
    pid_file = tmp_path / "sleeper.pid"
    children = [
        serve.Child("sleeper", [sys.executable, "-c", SLEEPER, str(pid_file)]),
        serve.Child("quitter", [sys.executable, "-c", "import time; time.sleep(1); exit(3)"]),
    ]

    started = time.monotonic()
    code = serve.run_supervised(children, io.StringIO(), grace=5)

    assert code == 3
    assert time.monotonic() - started < 10
    assert not is_running(int(pid_file.read_text()))


SLEEPER = textwrap.dedent(
    """
    import os, sys, time
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(60)
    """
)
SUPERVISOR = textwrap.dedent(
    """
    import os, sys
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "dealercrm.settings_test"
    django.setup()
    from dealercrm.core.management.commands.serve import Child, run_supervised
    sleeper = sys.argv[1]
    children = [Child(name, [sys.executable, "-c", sleeper, path]) for name, path in
                (("web", sys.argv[2]), ("worker", sys.argv[3]))]
    sys.exit(run_supervised(children, sys.stdout, grace=5))
    """
)


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its parent has not collected it yet.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def start_supervisor(tmp_path: Path) -> tuple[subprocess.Popen, list[Path]]:
    pid_files = [tmp_path / "web.pid", tmp_path / "worker.pid"]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, SLEEPER, *map(str, pid_files)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not all(path.exists() and path.read_text() for path in pid_files):
        assert time.monotonic() < deadline, "the children did not start"
        time.sleep(0.05)
    return process, pid_files


def wait_until_gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(is_running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_supervisor_stops_both_children_and_it_exits_cleanly(tmp_path, signum):
    process, pid_files = start_supervisor(tmp_path)
    pids = [int(path.read_text()) for path in pid_files]

    process.send_signal(signum)

    assert process.wait(timeout=15) == 0
    # "Stopping (SIGTERM)…", in whichever language the command speaks.
    assert signal.Signals(signum).name in process.stdout.read()
    assert wait_until_gone(pids, 5)


def test_children_do_not_outlive_a_killed_supervisor(tmp_path):
    process, pid_files = start_supervisor(tmp_path)
    pids = [int(path.read_text()) for path in pid_files]

    process.kill()
    process.wait(timeout=5)

    assert wait_until_gone(pids, 5)


# ---------------------------------------------------------------------------- worker


@task()
def double(number: int) -> int:
    return number * 2


# The worker closes and reopens its database connection between tasks, as in production,
# which ends a test transaction; so this test commits and restores the reference data after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_the_waiting_tasks_of_every_queue_then_exits_in_batch_mode():
    with override_settings(TASKS=DATABASE_TASKS):
        first = double.enqueue(21)
        second = double.using(queue_name="imports").enqueue(50)

        run("worker", "--batch", "--interval", "0")

    results = {str(row.id): row for row in DBTaskResult.objects.all()}
    assert results[first.id].status == "SUCCESSFUL"
    assert results[first.id].return_value == 42
    assert results[second.id].status == "SUCCESSFUL"
    assert results[second.id].return_value == 100


def test_worker_explains_that_tasks_run_inline_need_no_worker():
    # The test settings run tasks immediately, as some installations may choose to.
    with pytest.raises(CommandError, match="not queued in the database"):
        run("worker", "--batch")

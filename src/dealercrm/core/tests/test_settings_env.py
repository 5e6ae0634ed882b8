import subprocess
import sys

from dealercrm.env import env_bool, env_list, secret_key


def test_secret_key_is_generated_once_and_kept_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DEALERCRM_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) > 40
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("DEALERCRM_SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"


def test_debug_is_off_unless_set_to_one(monkeypatch):
    monkeypatch.delenv("DEALERCRM_DEBUG", raising=False)
    assert env_bool("DEALERCRM_DEBUG") is False
    monkeypatch.setenv("DEALERCRM_DEBUG", "1")
    assert env_bool("DEALERCRM_DEBUG") is True


def test_allowed_hosts_default_and_override(monkeypatch):
    monkeypatch.delenv("DEALERCRM_ALLOWED_HOSTS", raising=False)
    assert env_list("DEALERCRM_ALLOWED_HOSTS", "127.0.0.1,localhost") == ["127.0.0.1", "localhost"]


def _settings_value(expression: str, env: dict[str, str]) -> str:
    code = f"import dealercrm.settings as s; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_database_url_selects_postgresql_and_unset_means_sqlite_in_the_data_home(tmp_path):
    base = {"DEALERCRM_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    engine = _settings_value("s.DATABASES['default']['ENGINE']", base)
    name = _settings_value("s.DATABASES['default']['NAME']", base)
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "dealercrm.sqlite3")
    with_pg = base | {"DATABASE_URL": "postgresql://u@db.example:5432/crm"}
    assert _settings_value("s.DATABASES['default']['ENGINE']", with_pg).endswith("postgresql")
    assert _settings_value("s.DEBUG", base) == "False"
    hosts = base | {"DEALERCRM_ALLOWED_HOSTS": "crm.example.cn, 10.0.0.5"}
    assert _settings_value("s.ALLOWED_HOSTS", hosts) == "['crm.example.cn', '10.0.0.5']"

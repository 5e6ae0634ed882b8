"""Settings for the test suite: the production settings with fast hashing and inline tasks."""

import atexit
import shutil
import tempfile
from pathlib import Path

from dealercrm.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
_scratch = Path(tempfile.mkdtemp(prefix="dealercrm-test-"))
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
MEDIA_ROOT = _scratch / "media"
IMPORT_UPLOAD_DIR = _scratch / "imports"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# On SQLite the tests use a database file (in the scratch directory), as production does, not
# Django's shared in-memory database: concurrent writers then wait for the lock
# (transaction_mode IMMEDIATE, busy_timeout) exactly as they do in production, and the tests that
# race two writers prove it. pytest-xdist's workers each get their own file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_scratch / "test.sqlite3")}  # noqa: F405
    # A test database need not survive a power cut: no syncs, the journal in memory.
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA busy_timeout=10000;"
    )

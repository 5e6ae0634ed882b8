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

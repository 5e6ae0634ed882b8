import pytest


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    """Each test stores photos in its own folder, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"

import pytest


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    """Each test stores photos in its own folder, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the messages in English (pages default to Chinese otherwise)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

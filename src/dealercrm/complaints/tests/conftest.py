import pytest


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the messages in English (pages default to Chinese otherwise)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

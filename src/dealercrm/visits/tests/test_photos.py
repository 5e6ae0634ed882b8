"""Photos: only pictures, at most 10 MB, stored re-encoded without metadata, served only to
those who may see the visit."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from dealercrm.core.tests.apiclient import ApiClient
from dealercrm.visits import services
from dealercrm.visits.models import Visit, VisitPhoto
from dealercrm.visits.tests.helpers import (
    jpeg_with_gps_and_rotation,
    picture,
    png_header_only,
    upload,
)

pytestmark = pytest.mark.django_db
TOO_BIG = services.MAX_PHOTO_BYTES + 1


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "visits"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def visit(personas) -> Visit:
    return services.record_visit(personas.rep_customer, personas.rep)


def test_a_jpeg_is_turned_upright_and_loses_its_gps_position(personas, visit):
    photo = services.add_photo(
        visit, upload(jpeg_with_gps_and_rotation((80, 40)), "IMG_1.jpg", "image/jpeg"), personas.rep
    )

    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG"
    assert stored.size == (40, 80) == (photo.width, photo.height)
    assert dict(stored.getexif()) == {}
    assert photo.size_bytes == photo.image.size
    assert photo.image.name.endswith(".jpg") and "IMG_1" not in photo.image.name


def test_a_png_with_transparency_becomes_a_jpeg_and_a_big_one_is_scaled_down(personas, visit):
    small = services.add_photo(visit, upload(picture("PNG", (30, 20))), personas.rep)
    big = services.add_photo(visit, upload(picture("PNG", (4000, 1000)), "wide.png"), personas.rep)

    assert (small.width, small.height) == (30, 20)
    assert (big.width, big.height) == (2048, 512)
    with big.image.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).format == "JPEG"


def test_a_file_that_is_not_a_picture_is_refused_naming_it(personas, visit):
    with pytest.raises(ValidationError) as caught:
        services.add_photo(visit, upload(b"%PDF-1.4 not a photo", "price-list.pdf"), personas.rep)

    assert caught.value.messages == ["“price-list.pdf” is not a picture (JPEG, PNG, WebP…)."]
    assert not VisitPhoto.objects.exists() and stored_files() == []


def test_a_file_over_10_mb_is_refused_naming_its_size_and_the_limit(personas, visit):
    with pytest.raises(ValidationError) as caught:
        services.add_photo(visit, upload(b"\0" * TOO_BIG, "huge.jpg"), personas.rep)

    assert caught.value.messages == ["“huge.jpg” is 10.0 MB; a photo may be at most 10 MB."]
    assert not VisitPhoto.objects.exists() and stored_files() == []


def test_a_decompression_bomb_is_refused_before_it_is_decoded(personas, visit):
    with pytest.raises(ValidationError) as caught:
        services.add_photo(visit, upload(png_header_only(40_000, 40_000), "bomb.png"), personas.rep)

    assert "bomb.png" in caught.value.messages[0]
    assert not VisitPhoto.objects.exists()


# ---------------------------------------------------------------------------- pages


def test_the_check_in_page_refuses_a_non_picture_and_saves_nothing(personas, client):
    client.force_login(personas.rep)
    response = client.post(
        f"/visits/checkin/{personas.rep_customer.pk}/",
        {"notes": "货架很满", "photos": [upload(b"hello", "notes.txt", "text/plain")]},
    )

    assert response.status_code == 422
    assert "“notes.txt” is not a picture" in response.content.decode()
    assert "货架很满" in response.content.decode()  # the form keeps what was typed
    assert not Visit.objects.exists() and stored_files() == []


def test_the_check_in_page_refuses_an_oversized_photo_and_saves_nothing(personas, client):
    client.force_login(personas.rep)
    response = client.post(
        f"/visits/checkin/{personas.rep_customer.pk}/",
        {"photos": [upload(picture("PNG"), "ok.png"), upload(b"\0" * TOO_BIG, "big.jpg")]},
    )

    assert response.status_code == 422
    assert "a photo may be at most 10 MB" in response.content.decode()
    assert not Visit.objects.exists() and stored_files() == []


def test_the_check_in_page_stores_a_photo_shown_on_the_visit(personas, client):
    client.force_login(personas.rep)
    response = client.post(
        f"/visits/checkin/{personas.rep_customer.pk}/",
        {"photos": [upload(picture("JPEG", (50, 50)), "shelf.jpg", "image/jpeg")]},
    )

    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == f"/visits/{visit.pk}/"
    photo = visit.photos.get()
    page = client.get(response.url).content.decode()
    assert f"/visits/photos/{photo.pk}/" in page
    image = client.get(f"/visits/photos/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"


def test_adding_photos_to_a_visit_page_refuses_a_non_picture(personas, client, visit):
    client.force_login(personas.rep)
    response = client.post(
        f"/visits/{visit.pk}/photos/",
        {"photos": [upload(picture("PNG")), upload(b"GIF89a broken", "bad.gif")]},
        follow=True,
    )

    assert "“bad.gif” is not a picture" in response.content.decode()
    assert not VisitPhoto.objects.exists() and stored_files() == []


# ---------------------------------------------------------------------------- API


def post_photo(user, visit, content: bytes, name: str):
    api = ApiClient(user)
    return api.client.post(
        f"/api/v1/visits/{visit.pk}/photos", {"file": upload(content, name)}, headers=api.headers
    )


def test_the_api_stores_a_photo(personas, visit):
    response = post_photo(personas.rep, visit, picture("PNG", (64, 48)), "shelf.png")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["width"], body["height"]) == (64, 48)
    assert body["url"] == f"/visits/photos/{body['id']}/"


def test_the_api_answers_422_for_a_non_picture(personas, visit):
    response = post_photo(personas.rep, visit, b"just text", "readme.txt")

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "file", "message": "“readme.txt” is not a picture (JPEG, PNG, WebP…)."}
    ]
    assert not VisitPhoto.objects.exists()


def test_the_api_answers_422_for_a_file_over_10_mb(personas, visit):
    response = post_photo(personas.rep, visit, b"\0" * TOO_BIG, "big.jpg")

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "file", "message": "“big.jpg” is 10.0 MB; a photo may be at most 10 MB."}
    ]
    assert not VisitPhoto.objects.exists() and stored_files() == []


def test_the_api_asks_for_the_file_when_none_is_sent(personas, visit):
    response = ApiClient(personas.rep).post(f"visits/{visit.pk}/photos", {})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "file"

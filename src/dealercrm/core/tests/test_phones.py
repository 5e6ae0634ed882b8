import pytest
from django.core.exceptions import ValidationError

from dealercrm.core.phones import ACCEPTED_TYPES, display_phone, normalize_phone, phone_digits


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("0371-65123456", "+8637165123456"),  # Zhengzhou landline
        ("(0377)66123456", "+8637766123456"),  # Nanyang landline
        ("400-810-8888", "+864008108888"),
    ],
)
def test_chinese_numbers_are_stored_as_e164(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize("raw", ["95588", "12345", "1381234567", "abc", "110"])
def test_service_and_malformed_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_blank_is_no_number():
    assert normalize_phone("  ") == ""


def test_numbers_are_shown_and_searched_the_national_way():
    assert display_phone("+8613812345678") == "138 1234 5678"
    assert phone_digits("+8637165123456") == "037165123456"


def test_the_mobile_fast_path_agrees_with_phonenumbers_on_every_prefix():
    import phonenumbers

    for prefix in range(10000, 20000):
        number = f"{prefix}123456"
        parsed = phonenumbers.parse(number, "CN")
        expected_valid = phonenumbers.is_valid_number(parsed) and (
            phonenumbers.number_type(parsed) in ACCEPTED_TYPES
        )
        try:
            normalize_phone(number)
            valid = True
        except ValidationError:
            valid = False
        assert valid == expected_valid, number


def test_mobiles_are_displayed_as_phonenumbers_formats_them():
    import phonenumbers

    for stored in ["+8613812345678", "+8615012345678", "+8619912345678", "+8617401234567"]:
        expected = phonenumbers.format_number(
            phonenumbers.parse(stored), phonenumbers.PhoneNumberFormat.NATIONAL
        )
        assert display_phone(stored) == expected

"""Taking names, email addresses, UK phone numbers and UK postcodes out of quotes: each kind in
its usual forms, what must stay (dates, counts, ordinary words), and the counts."""

from __future__ import annotations

import pytest

from tip.evaluation.analysis.redact import Redactor, redact


@pytest.mark.parametrize(
    "email",
    [
        "sam.patel@example.org",
        "s_patel+vru@northshire.police.uk",
        "SAM@EXAMPLE.CO.UK",
        "o'brien@example.com".replace("'", ""),
        "first-last@sub.domain-name.org.uk",
    ],
)
def test_email_addresses(email: str) -> None:
    found = redact(f"Write to {email}, please.")
    assert found.text == "Write to [email], please."
    assert found.counts["email"] == 1


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "020 7946 0958",
        "(020) 7946 0958",
        "0121 496 0000",
        "0121-496-0000",
        "01632 960123",
        "(01632) 960 123",
        "029 2018 0000",
        "0161.496.0000",
        "0800 123 4567",
        "016977 4321",
    ],
)
def test_uk_phone_numbers(phone: str) -> None:
    found = redact(f"Ring {phone} after six.")
    assert found.text == "Ring [phone] after six."
    assert found.counts["phone"] == 1


@pytest.mark.parametrize(
    "postcode",
    [
        "SW1A 1AA",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "EC1A 1BB",
        "W1A 0AX",
        "CF10 1AA",
        "cf10 1aa",
        "CF101AA",
        "GIR 0AA",
        "LS1 4DY",
    ],
)
def test_uk_postcodes(postcode: str) -> None:
    found = redact(f"She lives near {postcode} now.")
    assert found.text == "She lives near [postcode] now."
    assert found.counts["postcode"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "We met on 07/11/2026 at 10:30.",
        "About 12345678901 people, or 2019 to 2026.",
        "Ages 11 to 16; 3 sessions of 90 minutes.",
        "In M1 and the A1 2nd lane.",  # a district alone, and words that only look alike
        "the year 2026 and 0.5 of a day",
        "Room 101, floor 2",
        "Policy CF10 was updated",  # an outward code alone
    ],
)
def test_numbers_and_words_that_are_not_personal_stay(text: str) -> None:
    found = redact(text)
    assert found.text == text
    assert not found.changed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Jones was kind", "[name] was kind"),
        ("Mrs O'Neill helped", "[name] helped"),
        ("Dr Amy Shah listened", "[name] listened"),
        ("PC Evans came", "[name] came"),
        ("DC Hughes-Price called", "[name] called"),
        ("Sgt. Wood said so", "[name] said so"),
        ("Ms Li and Miss Grant", "[name] and [name]"),
        ("PCSO Khan, DS Roberts and DCI Lewis", "[name], [name] and [name]"),
        ("Cllr Morgan opened it", "[name] opened it"),
    ],
)
def test_titles_followed_by_a_name(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_a_title_without_a_name_stays() -> None:
    text = "the dr said it was fine and mr nobody came; Mr. and Mrs. were on the form"
    assert redact(text).text == text


def test_known_names_whole_and_in_parts() -> None:
    names = ["Sam Patel", "Rose Li", "A", "Dr Hannah Price"]
    found = redact(
        "Sam Patel was great. SAM PATEL again. Then sam  patel. Sam said so; Patel agreed. "
        "Rose was there, and it rose. Hannah and Price too. A dog.",
        names=names,
    )
    assert found.text == (
        "[name] was great. [name] again. Then [name]. [name] said so; [name] agreed. "
        "[name] was there, and it rose. [name] and [name] too. A dog."
    )
    assert found.counts["name"] == 8


def test_names_inside_other_words_stay() -> None:
    found = redact("Samuel and Patelson are different people.", names=["Sam Patel"])
    assert found.text == "Samuel and Patelson are different people."


def test_an_email_with_a_name_is_taken_out_whole() -> None:
    found = redact("sam.patel@example.org", names=["Sam Patel"])
    assert found.text == "[email]"
    assert found.counts == {"email": 1, "phone": 0, "postcode": 0, "name": 0}


def test_everything_together_and_the_counts() -> None:
    text = (
        "I told Mr Jones (07700 900123, j.jones@example.org) that Kerry Smith lives at "
        "CF10 1AA; call 029 2018 0000."
    )
    found = Redactor(["Kerry Smith"])(text)
    assert found.text == (
        "I told [name] ([phone], [email]) that [name] lives at [postcode]; call [phone]."
    )
    assert found.counts == {"email": 1, "phone": 2, "postcode": 1, "name": 2}
    assert found.changed


def test_nothing_to_redact() -> None:
    assert redact("").text == ""
    found = redact("Training helped me stay calm.")
    assert found.text == "Training helped me stay calm." and not found.changed


def test_special_characters_in_names_are_literal() -> None:
    found = redact("Jo (J.) Smith? No: Jo Smith.", names=["Jo (J.) Smith", "Jo Smith"])
    assert "[name]" in found.text
    assert "Smith" not in found.text and "Jo" not in found.text

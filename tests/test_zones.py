from datetime import timedelta

import pytest

from mailflow.zones import is_zone, region_for_zone, resolve_abbreviation, windows_zone


@pytest.mark.parametrize("word, domain, offset, expected", [
    ("PT", "", None, "America/Los_Angeles"),
    ("ET", "", None, "America/New_York"),
    ("CET", "", None, "Europe/Paris"),
    # Ambiguous words, decided by evidence: the sender's country, then the Date offset.
    ("IST", "acme.in", None, "Asia/Kolkata"),
    ("IST", "", timedelta(hours=5, minutes=30), "Asia/Kolkata"),
    ("BST", "acme.co.uk", None, "Europe/London"),
    ("CST", "", timedelta(hours=8), "Asia/Shanghai"),
    ("CST", "acme.com", timedelta(hours=-6), "America/Chicago"),
])
def test_resolve_abbreviation(word, domain, offset, expected):
    zone = resolve_abbreviation(word, sender_domain=domain, date_offset=offset)
    assert zone is not None and is_zone(zone)
    if expected == "Europe/Paris":
        assert zone in ("Europe/Paris", "Europe/Berlin", "Europe/Brussels")
    else:
        assert zone == expected


def test_unknown_words_are_not_zones():
    assert resolve_abbreviation("PM") is None and resolve_abbreviation("ZZZ") is None


@pytest.mark.parametrize("name, expected", [
    ("Central Standard Time", "America/Chicago"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("Nowhere Standard Time", None),
])
def test_windows_zone(name, expected):
    assert windows_zone(name) == expected


def test_region_for_zone():
    assert region_for_zone("Europe/Berlin") == "DE"
    assert region_for_zone("America/Chicago") == "US"
    assert region_for_zone("Asia/Kolkata") == "IN"
    assert not is_zone("Mars/Olympus") and is_zone("UTC")

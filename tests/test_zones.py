from datetime import date, timedelta

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


def test_summer_only_readings_drop_out_in_winter():
    # Ireland's clock says GMT in November: "IST" then can only be India.
    assert resolve_abbreviation("IST", date_offset=timedelta(0), on=date(2026, 11, 18)) \
        == "Asia/Kolkata"
    assert resolve_abbreviation("IST", date_offset=timedelta(0), on=date(2026, 7, 9)) \
        == "Europe/Dublin"
    assert resolve_abbreviation("BST", on=date(2026, 1, 12)) == "Asia/Dhaka"


def test_the_users_zone_outweighs_a_server_stamped_date_but_not_a_sender_offset():
    # Scheduling tools stamp +00:00 on everything; an Indian sender's +05:30 is evidence.
    assert resolve_abbreviation("IST", date_offset=timedelta(0), user_zone="Asia/Kolkata",
                                on=date(2026, 7, 9)) == "Asia/Kolkata"
    assert resolve_abbreviation("IST", date_offset=timedelta(hours=1), user_zone="Asia/Kolkata",
                                on=date(2026, 7, 9)) == "Europe/Dublin"
    assert resolve_abbreviation("IST", sender_domain="tealbridge.ie", user_zone="Asia/Kolkata",
                                on=date(2026, 7, 9)) == "Europe/Dublin"

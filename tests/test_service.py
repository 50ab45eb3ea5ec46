from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from mailflow.service import format_instant


def test_format_instant_shows_both_zones_when_they_differ():
    t = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    ny = ZoneInfo("America/New_York")
    assert format_instant(t, ny) == "Tue 24 Nov 2026 15:00 EST"
    assert format_instant(t, ny, "America/Los_Angeles") == (
        "Tue 24 Nov 2026 15:00 EST (12:00 PST there)")
    assert format_instant(t, ny, "America/New_York") == "Tue 24 Nov 2026 15:00 EST"
    # Same offset, different name: nothing to add.
    assert format_instant(t, ny, "America/Toronto") == "Tue 24 Nov 2026 15:00 EST"


def test_format_instant_in_summer_time():
    t = datetime(2026, 7, 1, 13, 30, tzinfo=UTC)
    assert format_instant(t, ZoneInfo("Europe/Berlin"), "America/Chicago") == (
        "Wed 01 Jul 2026 15:30 CEST (08:30 CDT there)")

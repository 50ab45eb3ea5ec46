"""Time-zone words people write in mail -> IANA zones, and the evidence to pick between them.

Why a table of our own: dateutil and dateparser know a handful of abbreviations and map
them to a *fixed offset* ("PST" = -08:00 all year). That is not how people write. A
recruiter who writes "3:30 CST" in July means Central *local* time (CDT, -05:00), so an
abbreviation here names a *region*, and the offset is whatever that region's clock shows
on the day of the interview (zoneinfo does the DST arithmetic).

A few abbreviations name two or three regions (IST: India, Ireland, Israel; BST: British
Summer Time, Bangladesh; CST: US Central, China). `resolve_abbreviation` decides with the
evidence at hand, in this order:
  0. the season: Irish "IST" and British "BST" are summer time only, so in mail written
     in winter (no summer time within 60 days) they can only mean India or Bangladesh;
  1. the sender's domain's country-code TLD (".cn" -> China, ".ie" -> Ireland ...);
  2. the offset of the message's Date header (+05:30 -> India, +08:00 -> China ...),
     unless it is +00:00, which servers and scheduling tools stamp on everything;
  3. the user's own zone, when it is one of the readings (an Indian job seeker's "IST");
     then a +00:00 Date header;
  4. the default listed first in `_AMBIGUOUS` (the reading most mail means).
"MST" is Mountain time on the day, except to a reader in Arizona, where it is their own
clock all year.

Pure data plus small pure functions: no I/O (the tzdata zone.tab is not read on purpose).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# Abbreviations and names that stand for one region. Keys are lower-case, single spaces.
# "Standard" and "daylight" letters (PST/PDT) both map to the region: the clock on the day
# decides the offset, which is what the writer meant in practice.
ABBREVIATIONS: dict[str, str] = {
    # North America
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "pacific time": "America/Los_Angeles",
    "pacific standard time": "America/Los_Angeles",
    "pacific daylight time": "America/Los_Angeles",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "mountain": "America/Denver", "mountain time": "America/Denver",
    "mountain standard time": "America/Denver", "mountain daylight time": "America/Denver",
    "arizona time": "America/Phoenix",
    "ct": "America/Chicago", "cdt": "America/Chicago",
    "central": "America/Chicago", "central time": "America/Chicago",
    "central standard time": "America/Chicago", "central daylight time": "America/Chicago",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "eastern": "America/New_York", "eastern time": "America/New_York",
    "eastern standard time": "America/New_York", "eastern daylight time": "America/New_York",
    "new york time": "America/New_York", "nyc time": "America/New_York",
    "ny time": "America/New_York", "toronto time": "America/Toronto",
    "chicago time": "America/Chicago", "denver time": "America/Denver",
    "sf time": "America/Los_Angeles", "san francisco time": "America/Los_Angeles",
    "seattle time": "America/Los_Angeles", "bay area time": "America/Los_Angeles",
    "la time": "America/Los_Angeles", "vancouver time": "America/Vancouver",
    "akst": "America/Anchorage", "akdt": "America/Anchorage", "alaska time": "America/Anchorage",
    "hst": "Pacific/Honolulu", "hawaii time": "Pacific/Honolulu",
    "ast": "America/Halifax", "adt": "America/Halifax", "atlantic time": "America/Halifax",
    "nst": "America/St_Johns", "ndt": "America/St_Johns",
    "brt": "America/Sao_Paulo", "art": "America/Argentina/Buenos_Aires",
    # Latin America: Mexico abolished DST in 2022, so "Mexico City time" is -06:00 all
    # year, never US Central in summer.
    "mexico city time": "America/Mexico_City", "cdmx time": "America/Mexico_City",
    "mexico time": "America/Mexico_City", "hora de la ciudad de méxico": "America/Mexico_City",
    "hora de ciudad de méxico": "America/Mexico_City", "hora de méxico": "America/Mexico_City",
    "hora del centro de méxico": "America/Mexico_City", "hora cdmx": "America/Mexico_City",
    "guadalajara time": "America/Mexico_City", "monterrey time": "America/Monterrey",
    "bogota time": "America/Bogota", "bogotá time": "America/Bogota",
    "lima time": "America/Lima", "santiago time": "America/Santiago",
    "sao paulo time": "America/Sao_Paulo", "são paulo time": "America/Sao_Paulo",
    "buenos aires time": "America/Argentina/Buenos_Aires",
    "phoenix time": "America/Phoenix", "salt lake city time": "America/Denver",
    "boulder time": "America/Denver", "austin time": "America/Chicago",
    "dallas time": "America/Chicago", "boston time": "America/New_York",
    "atlanta time": "America/New_York", "montreal time": "America/Toronto",
    "calgary time": "America/Edmonton", "edmonton time": "America/Edmonton",
    # Europe and Africa
    "utc": "UTC", "z": "UTC", "zulu": "UTC",
    "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "mez": "Europe/Berlin",
    "mesz": "Europe/Berlin", "central european time": "Europe/Berlin",
    "central european summer time": "Europe/Berlin",
    "eet": "Europe/Athens", "eest": "Europe/Athens", "eastern european time": "Europe/Athens",
    "msk": "Europe/Moscow",
    "uk time": "Europe/London", "london time": "Europe/London", "british time": "Europe/London",
    "irish time": "Europe/Dublin", "dublin time": "Europe/Dublin",
    "berlin time": "Europe/Berlin", "german time": "Europe/Berlin",
    "paris time": "Europe/Paris", "french time": "Europe/Paris",
    "madrid time": "Europe/Madrid", "amsterdam time": "Europe/Amsterdam",
    "zurich time": "Europe/Zurich", "stockholm time": "Europe/Stockholm",
    "lisbon time": "Europe/Lisbon",
    "deutscher zeit": "Europe/Berlin", "deutsche zeit": "Europe/Berlin",
    "heure de paris": "Europe/Paris", "heure française": "Europe/Paris",
    "heure de france": "Europe/Paris", "hora de madrid": "Europe/Madrid",
    "hora peninsular": "Europe/Madrid", "hora española": "Europe/Madrid",
    "hora de españa": "Europe/Madrid",
    "sast": "Africa/Johannesburg", "wat": "Africa/Lagos", "eat": "Africa/Nairobi",
    # Asia and Oceania
    "gst": "Asia/Dubai", "dubai time": "Asia/Dubai", "pkt": "Asia/Karachi",
    "india time": "Asia/Kolkata", "indian standard time": "Asia/Kolkata",
    "sgt": "Asia/Singapore", "singapore time": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong", "pht": "Asia/Manila", "wib": "Asia/Jakarta",
    "china time": "Asia/Shanghai", "beijing time": "Asia/Shanghai",
    "china standard time": "Asia/Shanghai",
    "jst": "Asia/Tokyo", "tokyo time": "Asia/Tokyo", "kst": "Asia/Seoul",
    "awst": "Australia/Perth", "acst": "Australia/Adelaide", "acdt": "Australia/Adelaide",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "aet": "Australia/Sydney",
    "sydney time": "Australia/Sydney", "melbourne time": "Australia/Melbourne",
    "australian eastern daylight time": "Australia/Sydney",
    "australian eastern standard time": "Australia/Sydney",
    "australian eastern time": "Australia/Sydney",
    "australian central daylight time": "Australia/Adelaide",
    "australian central standard time": "Australia/Adelaide",
    "australian western standard time": "Australia/Perth",
    "new zealand daylight time": "Pacific/Auckland", "new zealand standard time": "Pacific/Auckland",
    # Spain's two clocks: the Canaries are an hour behind the mainland.
    "hora canaria": "Atlantic/Canary", "hora de canarias": "Atlantic/Canary",
    # Quebec: "10 h 30 (heure de l'Est)".
    "heure de l'est": "America/Toronto", "heure de l’est": "America/Toronto",
    "canary islands time": "Atlantic/Canary",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "nzt": "Pacific/Auckland",
}

# Ambiguous abbreviations: candidates in default order, each with the ccTLDs and Date-header
# UTC offsets (in minutes, any season) that point to it.
_AMBIGUOUS: dict[str, tuple[tuple[str, frozenset[str], frozenset[int]], ...]] = {
    "ist": (
        ("Asia/Kolkata", frozenset({"in"}), frozenset({330})),
        ("Europe/Dublin", frozenset({"ie"}), frozenset({0, 60})),
        ("Asia/Jerusalem", frozenset({"il"}), frozenset({120, 180})),
    ),
    "bst": (
        ("Europe/London", frozenset({"uk"}), frozenset({0, 60})),
        ("Asia/Dhaka", frozenset({"bd"}), frozenset({360})),
    ),
    "cst": (
        ("America/Chicago", frozenset({"us"}), frozenset({-360, -300})),
        ("Asia/Shanghai", frozenset({"cn", "tw"}), frozenset({480})),
        ("America/Havana", frozenset({"cu"}), frozenset()),
    ),
    # GMT is UTC by definition, but in British mail "2pm GMT" in July usually means UK
    # clock time; only British evidence turns it into Europe/London.
    "gmt": (
        ("UTC", frozenset(), frozenset()),
        ("Europe/London", frozenset({"uk"}), frozenset({60})),
    ),
}


# Cities written after a time ("11.00am Sydney", "(Saskatchewan time)"); None for words
# that name no single clock ("US & Canada" after an Outlook zone name).
CITY_ZONES: dict[str, str | None] = {
    "los angeles": "America/Los_Angeles", "vancouver": "America/Vancouver",
    "denver": "America/Denver", "phoenix": "America/Phoenix", "chicago": "America/Chicago",
    "new york": "America/New_York", "toronto": "America/Toronto", "halifax": "America/Halifax",
    "london": "Europe/London", "dublin": "Europe/Dublin", "lisbon": "Europe/Lisbon",
    "berlin": "Europe/Berlin", "paris": "Europe/Paris", "madrid": "Europe/Madrid",
    "amsterdam": "Europe/Amsterdam", "zurich": "Europe/Zurich", "rome": "Europe/Rome",
    "stockholm": "Europe/Stockholm", "warsaw": "Europe/Warsaw", "athens": "Europe/Athens",
    "helsinki": "Europe/Helsinki", "kolkata": "Asia/Kolkata", "singapore": "Asia/Singapore",
    "tokyo": "Asia/Tokyo", "sydney": "Australia/Sydney", "auckland": "Pacific/Auckland",
    "us & canada": None, "us and canada": None, "us": None,
    "brisbane": "Australia/Brisbane", "perth": "Australia/Perth",
    "adelaide": "Australia/Adelaide", "melbourne": "Australia/Melbourne",
    "hobart": "Australia/Hobart", "darwin": "Australia/Darwin", "wellington": "Pacific/Auckland",
    "mumbai": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "delhi": "Asia/Kolkata", "hyderabad": "Asia/Kolkata", "chennai": "Asia/Kolkata",
    "pune": "Asia/Kolkata", "hong kong": "Asia/Hong_Kong", "shanghai": "Asia/Shanghai",
    "beijing": "Asia/Shanghai", "seoul": "Asia/Seoul", "dubai": "Asia/Dubai",
    "manila": "Asia/Manila", "jakarta": "Asia/Jakarta", "bangkok": "Asia/Bangkok",
    "kuala lumpur": "Asia/Kuala_Lumpur", "johannesburg": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg", "nairobi": "Africa/Nairobi", "lagos": "Africa/Lagos",
    "são paulo": "America/Sao_Paulo", "sao paulo": "America/Sao_Paulo",
    "mexico city": "America/Mexico_City", "edmonton": "America/Edmonton",
    "calgary": "America/Edmonton", "winnipeg": "America/Winnipeg",
    "montreal": "America/Toronto", "montréal": "America/Toronto", "ottawa": "America/Toronto",
    "seattle": "America/Los_Angeles", "san francisco": "America/Los_Angeles",
    "boston": "America/New_York", "atlanta": "America/New_York", "miami": "America/New_York",
    "dallas": "America/Chicago", "houston": "America/Chicago", "austin": "America/Chicago",
    "frankfurt": "Europe/Berlin", "munich": "Europe/Berlin", "vienna": "Europe/Vienna",
    "brussels": "Europe/Brussels", "copenhagen": "Europe/Copenhagen", "oslo": "Europe/Oslo",
    "prague": "Europe/Prague", "barcelona": "Europe/Madrid", "milan": "Europe/Rome",
    "edinburgh": "Europe/London", "manchester": "Europe/London", "cork": "Europe/Dublin",
    "saskatchewan": "America/Regina", "regina": "America/Regina",
    "saskatoon": "America/Regina", "arizona": "America/Phoenix",
}

def known_word(word: str) -> bool:
    key = " ".join(word.lower().split())
    return key in ABBREVIATIONS or key in _AMBIGUOUS


_SUMMER_ONLY = {("ist", "Europe/Dublin"), ("bst", "Europe/London")}


def resolve_abbreviation(
    word: str, *, sender_domain: str = "", date_offset: timedelta | None = None,
    user_zone: str = "", on: date | None = None,
) -> str | None:
    """The IANA zone a written zone word stands for, or None when it is not one we know.

    `on` is the day the time is on (or near), `user_zone` the reader's zone: see the
    module's docstring for the order the evidence is weighed in.
    """
    key = " ".join(word.lower().split())
    if key in ("mst", "mountain standard time") and user_zone == "America/Phoenix":
        # Arizona keeps MST all year: to a reader there, "9:00 AM MST" in July is their
        # own clock (a Denver sender in summer writes MDT or MT).
        return user_zone
    if key in ABBREVIATIONS:
        return ABBREVIATIONS[key]
    options = _AMBIGUOUS.get(key)
    if options is None:
        return None
    if on is not None:
        # `on` is the message's day; the interview is within the next weeks, so a summer
        # reading stays possible if summer time is in force at any point of 60 days. The
        # clock's offset is read, not dst(): tzdata models Irish time with a negative DST.
        days = [datetime(on.year, on.month, on.day, 12) + timedelta(days=k)
                for k in range(0, 61, 4)]
        options = tuple(o for o in options if (key, o[0]) not in _SUMMER_ONLY or any(
            ZoneInfo(o[0]).utcoffset(d) == timedelta(hours=1) for d in days)) or options
    tld = sender_domain.rsplit(".", 1)[-1].lower() if sender_domain else ""
    for zone, tlds, _ in options:
        if tld in tlds:
            return zone
    minutes = int(date_offset.total_seconds() // 60) if date_offset is not None else None
    by_offset = next((zone for zone, _, offsets in options if minutes in offsets), None)
    # A +00:00 Date is what mail servers and scheduling tools stamp: weaker than the
    # user's own zone.
    if by_offset and minutes != 0:
        return by_offset
    if any(zone == user_zone for zone, _, _ in options):
        return user_zone
    return by_offset or options[0][0]


# Outlook's display names in bodies ("(UTC-06:00) Central Time (US & Canada)") and Windows
# zone ids in .ics TZIDs ("W. Europe Standard Time"). The .ics ids are also looked up in
# icalendar's full CLDR table (WINDOWS_TO_OLSON) when it is installed; this short table is
# for the display names, which CLDR does not list.
WINDOWS_DISPLAY: dict[str, str] = {
    "pacific time (us & canada)": "America/Los_Angeles",
    "mountain time (us & canada)": "America/Denver",
    "central time (us & canada)": "America/Chicago",
    "eastern time (us & canada)": "America/New_York",
    "atlantic time (canada)": "America/Halifax",
    "arizona": "America/Phoenix",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "athens, bucharest": "Europe/Bucharest",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "chennai, kolkata, mumbai, new delhi": "Asia/Kolkata",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai",
    "kuala lumpur, singapore": "Asia/Singapore",
    "osaka, sapporo, tokyo": "Asia/Tokyo",
    "canberra, melbourne, sydney": "Australia/Sydney",
    "auckland, wellington": "Pacific/Auckland",
    "coordinated universal time": "UTC",
}

WINDOWS_IDS: dict[str, str] = {
    "pacific standard time": "America/Los_Angeles",
    "mountain standard time": "America/Denver",
    "us mountain standard time": "America/Phoenix",
    "central standard time": "America/Chicago",
    "eastern standard time": "America/New_York",
    "us eastern standard time": "America/Indiana/Indianapolis",
    "atlantic standard time": "America/Halifax",
    "gmt standard time": "Europe/London",
    "greenwich standard time": "Atlantic/Reykjavik",
    "w. europe standard time": "Europe/Berlin",
    "romance standard time": "Europe/Paris",
    "central europe standard time": "Europe/Budapest",
    "central european standard time": "Europe/Warsaw",
    "e. europe standard time": "Europe/Chisinau",
    "fle standard time": "Europe/Kyiv",
    "gtb standard time": "Europe/Bucharest",
    "india standard time": "Asia/Kolkata",
    "china standard time": "Asia/Shanghai",
    "singapore standard time": "Asia/Singapore",
    "tokyo standard time": "Asia/Tokyo",
    "aus eastern standard time": "Australia/Sydney",
    "new zealand standard time": "Pacific/Auckland",
    "utc": "UTC",
}


def windows_zone(name: str) -> str | None:
    """IANA zone for an Outlook zone id or display name, or None."""
    key = " ".join(name.lower().split())
    key = key.split(")", 1)[1].strip() if key.startswith("(utc") and ")" in key else key
    if key in WINDOWS_IDS:
        return WINDOWS_IDS[key]
    if key in WINDOWS_DISPLAY:
        return WINDOWS_DISPLAY[key]
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # an older icalendar: our short table is all there is
        return None
    for win, olson in WINDOWS_TO_OLSON.items():
        if win.lower() == key:
            return olson
    return None


def is_zone(name: str) -> bool:
    """Whether `name` is an IANA zone zoneinfo can load."""
    if not name or "/" not in name and name not in ("UTC",):
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError):
        return False
    return True


# Default phone-number region for the user's zone (numbers written without "+"). Small on
# purpose: the zones job seekers in our audience live in. America/* falls back to US.
_REGION_BY_ZONE: dict[str, str] = {
    "America/Toronto": "CA", "America/Vancouver": "CA", "America/Montreal": "CA",
    "America/Edmonton": "CA", "America/Winnipeg": "CA", "America/Halifax": "CA",
    "America/St_Johns": "CA", "America/Regina": "CA",
    "America/Mexico_City": "MX", "America/Sao_Paulo": "BR",
    "America/Argentina/Buenos_Aires": "AR", "America/Bogota": "CO", "America/Santiago": "CL",
    "America/Lima": "PE",
    "Europe/London": "GB", "Europe/Dublin": "IE", "Europe/Berlin": "DE", "Europe/Paris": "FR",
    "Europe/Madrid": "ES", "Europe/Rome": "IT", "Europe/Amsterdam": "NL",
    "Europe/Brussels": "BE", "Europe/Zurich": "CH", "Europe/Vienna": "AT",
    "Europe/Stockholm": "SE", "Europe/Oslo": "NO", "Europe/Copenhagen": "DK",
    "Europe/Helsinki": "FI", "Europe/Warsaw": "PL", "Europe/Prague": "CZ",
    "Europe/Lisbon": "PT", "Europe/Athens": "GR", "Europe/Budapest": "HU",
    "Asia/Kolkata": "IN", "Asia/Calcutta": "IN", "Asia/Singapore": "SG", "Asia/Tokyo": "JP",
    "Asia/Shanghai": "CN", "Asia/Hong_Kong": "HK", "Asia/Seoul": "KR", "Asia/Dubai": "AE",
    "Asia/Jerusalem": "IL", "Australia/Sydney": "AU", "Australia/Melbourne": "AU",
    "Australia/Brisbane": "AU", "Australia/Perth": "AU", "Pacific/Auckland": "NZ",
    "Pacific/Honolulu": "US", "Africa/Johannesburg": "ZA", "Africa/Lagos": "NG",
}


def region_for_zone(zone: str) -> str:
    """The phonenumbers default region for a user living in `zone` (US when unknown)."""
    if zone in _REGION_BY_ZONE:
        return _REGION_BY_ZONE[zone]
    if zone.startswith(("America/", "US/")):
        return "US"
    return "US"  # most of our users; numbers with "+" parse the same whatever the region

"""Tone check: flags what a calm reader would not send, and says why.

The review screen shows these flags next to the draft, and a flagged draft waits out the
cool-off before it can be approved. So every flag must point at the exact words that
triggered it (a person has to see and fix them) and carry one plain sentence of why.

Deliberately a set of readable rules rather than a model: pure (no I/O, no clock), fast,
deterministic, and each decision can be explained by the rule that made it. The price is
recall on sarcasm and subtle hostility; see the tests for the measured rates.

Rules, by name:
- shouting: runs of capitalised words, or one long emphatic capitalised word;
  acronyms (PM, CEST, SQL), codes (H1B, EC2) and short words (NOT) are left alone.
- repeated_punctuation: "!!", "?!", "???".
- insult, profanity: a modest word list, on word boundaries, with common inflections
  and the usual f*ck-style masking; self-directed uses ("a dumb question", "I'm hopeless
  at names") are not insults.
- accusation: blaming the reader ("unprofessional", "wasted my time", "you clearly
  didn't...").
- passive_aggressive: "per my last email", "as I already said", "thanks for finally...".
- ultimatum: threats and deadlines with consequences ("or else", "I expect a response").
- exasperation: declared anger ("sick and tired", "furious", "I'm done waiting").

Quoted lines (starting with ">"), URLs and e-mail addresses are not the user's prose and
are skipped, so a recruiter's "URGENT!!" quoted below the reply does not block it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ToneFlag:
    rule: str  # short machine name, e.g. "shouting"
    words: str  # exactly text[start:end]
    start: int
    end: int
    why: str  # one sentence for the review screen


_WHY = {
    "shouting": "capitals read as shouting",
    "repeated_punctuation": "repeated punctuation reads as exasperated",
    "insult": "reads as an insult",
    "profanity": "profanity",
    "accusation": "reads as an accusation",
    "passive_aggressive": "reads as passive-aggressive",
    "ultimatum": "reads as an ultimatum or a threat",
    "exasperation": "reads as an outburst of anger",
}

RULES: tuple[str, ...] = tuple(_WHY)


def _why(rule: str, words: str) -> str:
    shown = " ".join(words.split())  # a phrase wrapped over two lines reads as one
    return f'{_WHY[rule]}: "{shown}"'


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a phrase pattern written in plain English spelling.

    A literal space matches any run of whitespace (drafts are wrapped at any word), " ?"
    matches optional whitespace, and a straight apostrophe also matches the typographic one
    that mail clients insert. Keep spaces and apostrophes out of character classes below.
    """
    source = pattern.replace("'", "['\u2019]").replace(" ?", r"\s*").replace(" ", r"\s+")
    return re.compile(source, re.IGNORECASE)


# --- what is not the user's prose ---------------------------------------------------------

_NOT_PROSE = re.compile(
    r"^[ \t]*>[^\n]*"  # a quoted line of the message being answered
    r"|\b(?:https?://|www\.)\S+"  # links: "?!" or capitals inside a URL are not tone
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # addresses: JOHN.DOE@X.COM is not shouting
    re.MULTILINE,
)


def _prose(text: str) -> str:
    """The text with quotes, links and addresses blanked out, offsets unchanged."""
    return _NOT_PROSE.sub(lambda m: re.sub(r"\S", " ", m.group()), text)


# --- shouting ------------------------------------------------------------------------------

# Capitalised on purpose and not shouting. Words of 4+ letters need listing only when they
# contain a vowel: a capitalised word without one (HTML, GDPR, SMTP) is read as an acronym.
_ACRONYMS = frozenset(
    """
    PM ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST AKDT HST GMT UTC BST IST CET CEST
    EET EEST WET WEST JST KST SGT HKT AEST AEDT AWST ACST NZST NZDT UK USA EU UAE NYC LA SF
    DC NY CA TX HR CV API SQL AWS GCP OK FYI ASAP ETA TBD TBC RSVP EOD EOW COB OOO PTO CEO
    CTO CFO COO CIO CPO CMO VP SVP EVP MBA BA BS BSC MSC MS MA PHD QA CI CD IT UI UX ML AI
    NLP LLM JSON HTML CSS HTTP HTTPS REST SOAP XML YAML PDF DOCX CRM ERP SAP IBM NASA NATO
    NDA ID RE FW FWD PS NB USD EUR GBP CAD AUD INR LLC INC LTD GMBH PLC SAAS SDK IDE IOS
    AJAX UNIX LINUX MYSQL IEEE UCLA NYU MIT EMEA APAC LATAM AMER OKR KPI ROI
    """.split()
)

# Capitalised single words that are emphasis, not naming: "NEVER", "TODAY", "HELLO".
_EMPHATIC = frozenset(
    """
    NEVER ALWAYS NOBODY NOTHING NONE EVERYONE EVERYBODY ANYONE ANYBODY SOMEONE STILL AGAIN
    ONCE TWICE THREE FOUR FIVE SEVEN EIGHT NINE HOUR HOURS DAYS WEEK WEEKS MONTH MONTHS
    TODAY TONIGHT RIGHT STOP HELLO HELP PLEASE VERY REALLY SERIOUSLY EVER EVEN THIS THAT
    WHAT WHERE WHEN WRONG LATE RUDE DONE ENOUGH MUST NEED WANT DEMAND ONLY EVERY SINGLE
    HARD SIMPLE CALL BACK WAIT WAITED WAITING RESPOND REPLY ANSWER SICK TIRED ANGRY MAD
    JOKE LIES LIED LIAR UNACCEPTABLE RIDICULOUS INSANE CRAZY HATE SHAME URGENT MISSED
    """.split()
)

# A long capitalised word with an English inflection is a word in capitals, not a name.
_INFLECTED = re.compile(r"(?:ABLE|IBLE|ING|ED|LY|TION|SION|NESS|MENT|FUL|LESS|OUS|IVE)$")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_GAP_IN_RUN = re.compile(r"[^\S\n]*[,;:/&'\u2019\"()-]?[^\S\n]*")  # "CALL ME, NOW": one run
_VOWEL = re.compile(r"[AEIOUY]")

_NEUTRAL, _ACRONYM, _SHORT, _LONG, _LOWER = range(5)


def _kind(token: str) -> int:
    letters = "".join(c for c in token if c.isalpha())
    if not letters:
        return _NEUTRAL  # a number inside a run: "WAITED 3 HOURS"
    if not letters.isupper():
        return _LOWER
    if len(letters) == 1:
        return _NEUTRAL  # "I", "A": capitals by grammar
    bare = letters.upper()
    if letters != token.replace("'", "").replace("\u2019", "") or bare in _ACRONYMS:
        return _ACRONYM  # digits inside (H1B, EC2, 3PM) make it a code
    if len(letters) >= 4 and not _VOWEL.search(bare):
        return _ACRONYM
    return _LONG if len(letters) >= 4 else _SHORT


def _shouting(text: str) -> Iterator[tuple[int, int]]:
    """Spans of capitals that read as raised voice."""
    run: list[tuple[re.Match[str], int]] = []

    def judge(run: list[tuple[re.Match[str], int]]) -> Iterator[tuple[int, int]]:
        # Trim acronyms and numbers at the edges: "3 PM NOBODY CALLED" -> "NOBODY CALLED".
        words = [(m, k) for m, k in run if k in (_SHORT, _LONG)]
        if not words:
            return
        longs = [m.group() for m, k in words if k == _LONG]
        emphatic = len(longs) == 1 and (
            longs[0].upper() in _EMPHATIC or (len(longs[0]) >= 6 and _INFLECTED.search(longs[0]))
        )
        # Two capitalised words together ("ALL DAY", "CALL ME BACK") or one emphatic word; a
        # lone short one ("NOT") inside normal text is emphasis a calm writer uses too.
        if len(words) >= 2 or emphatic:
            first = run.index(words[0])
            # Keep a capital "I" or "A" that opens the run: "I WAITED", not "WAITED".
            if first and run[first - 1][0].group().isalpha():
                first -= 1
            yield run[first][0].start(), words[-1][0].end()

    previous_end = -1
    for m in _TOKEN.finditer(text):
        kind = _kind(m.group())
        joined = bool(run) and _GAP_IN_RUN.fullmatch(text, previous_end, m.start()) is not None
        if kind == _LOWER or not joined:
            yield from judge(run)
            run = []
        if kind != _LOWER:
            run.append((m, kind))
        previous_end = m.end()
    yield from judge(run)


# --- phrase rules --------------------------------------------------------------------------

_INSULT_WORDS = (
    r"idiot(?:s|ic|ically)?|moron(?:s|ic)?|imbecile?s?|cretins?|clowns?|buffoons?|"
    r"fool(?:s|ish)?|stupid(?:ity|est)?|dumb(?:est|er)?|dimwits?|half-?wits?|nitwits?|"
    r"losers?|liars?|lazy|useless|clueless|hopeless|pathetic|amateurs|amateurish|"
    r"amateur hour|garbage|trash|trashy|shambles|shambolic|farce|clown show|"
    r"dumpster fire|good riddance"
)
_INSULT = _rx(rf"\b(?:{_INSULT_WORDS})\b")
# "a joke", "such a joke", "is a joke": the noun used of the reader's process or people.
_JOKE = _rx(r"\b(?:is|was|are|such|what|a total|a complete|an absolute|a real) (?:a )?joke\b"
            r"|\bjoke of an? \w+|\bwhat an? (?:\w+ )?(?:circus|joke|mess|disaster|farce|shambles|"
            r"nightmare|waste|clown show|shitshow)\b")
_MESS = _rx(r"\b(?:is|was|are|been) (?:an? )?(?:total |complete |absolute |utter |real )?"
            r"(?:mess|disaster|circus|waste of space)\b|\bwaste of space\b")
# Insult words aimed at the writer's own question or slip are not insults to the reader.
_SELF_BEFORE = _rx(r"\bI(?:'m| am| was| feel| felt)(?: \w+)? ?$")
_SELF_AFTER = _rx(r"^ (?:question|mistake|error|typo|oversight|slip)s?\b")

_PROFANITY = re.compile(
    r"(?<![^\W\d_])(?:"
    r"(?:mother)?fu+ck\w*|f[*#@$%!]{1,3}c?k\w*|f\*{2,3}(?:ing|ed|s)?|fck\w*|fkn"
    r"|(?:bull|horse)?shit\w*|sh[*#@$%!]{1,2}t\w*|s\*{2,3}t"
    r"|crap(?:py|s)?|(?:god)?damn(?:ed|it)?|dammit|hell|heck(?=\W+(?:is|are|was|happened))"
    r"|(?:jack|dumb|smart)?ass(?:es|hole\w*)?|arse(?:hole)?s?|bastards?|bitch\w*"
    r"|piss(?:ed|ing)?|wank\w*|bollocks|sucks|frickin\w*|wtf|ffs|stfu|omfg"
    r"|screw(?:ed|ing)?(?=\s+(?:up|you|this|that|it|them|over|around)\b)"
    r"|(?<=the )heck|(?<=is )BS|(?<=such )BS|(?<=total )BS"
    r")(?![^\W\d_])",
    re.IGNORECASE,
)

_NEG = r"(?:\w+n't|not|no|never|nothing|none|only|zero)"
_TIME_NOUN = (r"(?:time|afternoon|morning|evening|day|days|weekend|week|weeks|hours?|effort|energy|"
              r"life)")

_ACCUSATION = tuple(_rx(p) for p in (
    r"\bunprofessional\w*",
    r"\bunacceptabl[ey]\b",
    r"\bridiculous\w*",
    r"\b(?:absurd|outrageous|appalling|disgrace|disgraceful|shameful|shameless|deplorable|"
    r"atrocious|inexcusable|insulting|rude|rudely|rudeness)\b",
    r"\ban insult\b",
    r"\bdisrespect(?:ful\w*|ed|ing)\b",
    r"\bincompeten\w+",
    rf"\bwast(?:e|ed|es|ing) (?:\w+ ){{0,4}}?(?:my|our) (?:\w+ )?{_TIME_NOUN}\b",
    rf"\bwast(?:ed|ing) (?:an? |the |my |our )?(?:entire |whole )?{_TIME_NOUN}\b",
    rf"\bwaste of (?:(?!your\b)\w+ ){{0,2}}{_TIME_NOUN}\b",
    r"\bwast(?:e|ed|es|ing) (?:\w+ ){0,3}?time (?:on|with) (?:you|your|this)\b",
    r"\bwast(?:e|ed|es|ing) (?:\w+ ){0,3}?time (?:waiting|chasing)\b",
    r"\bhow dare\b|\byou dare\b",
    rf"\byou(?:'re| are)? (?:clearly|obviously|evidently|apparently) (?:\w+ ){{0,3}}?{_NEG}\b",
    r"\b(?:clearly|obviously|evidently) (?:nobody|no one|no-one|none of you)\b",
    r"\byou (?:always|constantly|keep) (?:\w+ )?(?:cancel|reschedul|ignor|forget|forgot|miss|"
    r"chang|push|postpon|delay|ghost)\w*",
    r"\b(?:never|didn't|did not) (?:even )?(?:bother(?:ed)?|show(?:ed)? up|turn(?:ed)? up)\b",
    r"\b(?:couldn't|could not|can't|cannot|didn't|did not|never|nobody|no one|no-one|hasn't|"
    r"has not|haven't|have not|has|have|had) (?:even )?(?:be )?bother(?:ed|ing)? to\b",
    r"\b(?:couldn't|could not|can't|cannot) be bothered\b",
    r"\b(?:have|had|has|show|showed|shown) (?:even )?the (?:basic |common |simple )?"
    r"(?:courtesy|decency)\b",
    r"\byou (?:\w+ )?(?:didn't|did not|couldn't|could not|can't|cannot|won't|will not|don't|"
    r"do not) even\b",
    r"\b(?:did|do|does|can|could|have|has) (?:you|they|your \w+|anyone|anybody) (?:\w+ )?even\b",
    r"\b(?:can't|cannot|couldn't|could not) even (?:manage|bother|handle|send|make|get|give|"
    r"answer|pick|call|reply|respond|organi[sz]e|schedule|show)\b",
    r"\byou (?:promised|were supposed to|assured me|swore|guaranteed)\b",
    r"\byou(?:'ve| have)? (?:lied|lie to|are lying|'re lying|were lying)\b|\blying to me\b",
    r"\bst(?:ood|and|anding) (?:me|us) up\b|\bghost(?:ed|ing) (?:me|us)\b|\bno-shows?\b",
    r"\b(?:nothing|better things|more important things) to do\b|\byou must think\b",
    r"\btreat(?:ed|ing)? (?:me |us |candidates |people |applicants )?(?:so |this |very |"
    r"really |extremely )?(?:poorly|badly|rudely|disrespectfully|unfairly|terribly|horribly|"
    r"like (?:garbage|dirt|trash|crap|a number))\b",
    r"\b(?:not|is this|this is|that's|that is|is that|isn't|is not) (?:how|the way) "
    r"(?:you|to) treat\b",
    r"\bworst\b(?: \S+){0,5}? (?:I've|I have|I'd|I had|I've) ever\b",
    r"\bthe worst (?:\w+ )?(?:experience|process|recruit\w*|communication|company|interview\w*|"
    r"treatment)\b",
    r"\black of (?:basic |any )?(?:communication|professionalism|respect|courtesy|"
    r"organi[sz]ation|transparency|follow-?up|response|consideration)\b",
    r"\b(?:should|ought to) be ashamed\b|\bshame on\b|\bproud of yoursel(?:f|ves)\b",
    r"\byou people\b",
    r"\bdo your (?:job|jobs)\b",
    r"\bwhat kind of (?:company|recruiter|business|organi[sz]ation|operation|outfit|process|"
    r"people|place)\b",
    r"\b(?:being|been|be|feel|felt|getting|get|got|keep) ignored\b",
    r"\b(?:stop )?ignor(?:ed|ing) (?:me|my|us|our)\b",
    r"\bI (?:don't|do not) appreciate\b",
    r"\bI (?:shouldn't|should not) (?:have|need) to\b",
    r"\bnot (?:a single|one) (?:word|reply|response|email|call|update|phone call)\b",
    r"\b(?:skills|intelligence|attention span|manners|professionalism|competence) of an? \w+",
    r"\b(?:this|such|the kind of|this kind of) treatment\b|\bhow you repay\b",
    r"\bwhy (?:am|do|must|should) I (?:always|still|have to|even)\b|\bthe one (?:chasing|"
    r"following up|doing all)\b",
    r"\b(?:clean up|get) your act\b|\bpull yoursel(?:f|ves) together\b|\bhurry up\b",
    r"\b(?:this|that|so) (?:disorgani[sz]ed|unorgani[sz]ed|unprofessional|incompetent|rude|"
    r"careless|sloppy|useless|unreliable)\b",
    r"\b(?:bl(?:ew|own|ow|owing)|brush(?:ed|ing)?|fob(?:bed|bing)?) (?:me|us) off\b",
    r"\b(?:zero|no|little|lost (?:all )?) (?:confidence|faith|trust|respect) (?:in|for) "
    r"(?:you|your)\b",
    r"\bstop (?:playing|wasting|ignoring|messing|jerking|lying|making excuses|dodging|avoiding)\b",
    r"\byou owe me\b|\bout of line\b",
    r"\b(?:another|more|your|enough|the same) excuses?\b|\ba straight answer\b",
    r"(?<!make\s)(?<!making\s)(?<!any\s)\bexcuses\b",
    r"\bno excuse for (?:this|that|your|such)\b",
    rf"\bwast(?:e|ed|es|ing) (?:\w+ ){{0,3}}?(?:people's|everyone's|candidates'|anyone's) "
    rf"{_TIME_NOUN}\b",
    r"\bwaste of (?:(?!your\b)\w+ )?time\b",
    r"\b(?:badly|poorly|terribly|horribly|appallingly|unprofessionally) (?:\w+ ){0,3}?(?:handled|managed|"
    r"organi[sz]ed|run|treated|communicated|planned)\b",
    r"\bhandled (?:\w+ )?(?:so |very )?(?:badly|poorly|terribly|horribly|unprofessionally)\b",
    r"\b(?:should|ought to) be (?:embarrassed|ashamed)\b",
    r"\bappalled\b",
    r"(?<!no-)(?<!no\s)\bnonsense\b|\bplay(?:ing)? games\b|\bthese games\b|\brun-?around\b",
    r"\b(?:jerk|mess|muck|string|lead|yank)\w* (?:me|us|candidates|people) (?:around|about|"
    r"along|on)\b",
    r"\bare you (?:kidding|joking)\b|\b(?:kidding|joking) me\b|\byou (?:must|have got to|'ve got "
    r"to|gotta) be (?:kidding|joking)\b|\bare you (?:serious|for real)(?= ?[?!])",
    r"\b(?:the|some|a lot of) nerve\b",
    r"\b(?:get your act together|get it together|grow up|do better|learn (?:how )?to (?:read|"
    r"manage|use|tell time|communicate|schedule|count|do your job))\b",
    r"(?:(?<![^\n])|(?<=[.!?;:]\s))(?:please )?sort (?:it|this|yourselves) out\b",
    r"\b(?:try|bother|manage to) (?:showing|turning|to show|to turn) up\b",
    r"\bI was (?:promised|assured)\b|\b(?:and|but) (?:got|heard|received) nothing\b",
    r"\bdon't have time for (?:this|these|your|such)\b",
    r"\bwhy (?:\w+ ){0,3}?(?:nobody|no one|no-one|none of you|never|can't you|won't you|didn't you|"
    r"couldn't you|haven't you|hasn't anyone|has no one|is it so hard|is it so difficult)\b",
    r"\b(?:is|was) it (?:really )?(?:that|so|too) (?:hard|difficult)\b|\btoo much to ask\b|"
    r"\bhow (?:hard|difficult) (?:can|could|is) it\b",
    r"\b(?:are|were|is|do|did|does|has|have) (?:you|anyone|anybody) (?:\w+ ){0,2}?even\b",
    r"\b(?:nobody|no one|no-one) (?:\w+ )?even\b",
    r"\b(?:do|did|does|don't|didn't|doesn't) (?:you|anyone|anybody) (?:not |ever )?(?:even )?"
    r"(?:read|check|listen|care)\b",
    r"\b(?:you|anyone|nobody|no one|your \w+) (?:clearly |obviously |simply |just )?(?:don't|"
    r"doesn't|didn't|do not|does not) (?:seem to )?care\b|\b(?:nobody|no one) (?:\w+ ){0,2}?"
    r"cares\b",
    r"\bdisappointed (?:in|by|with) (?:you|your|how|the way)\b",
    r"\b(?:left|kept) (?:me )?(?:hanging|in the dark)\b",
    r"\b(?:zero|no) (?:communication|response|follow-?up|respect|courtesy)(?: whatsoever| at all)?"
    r"(?= ?(?:[.!?,;]|$|whatsoever|from))",
    r"\bdeserve[sd]? better\b",
    r"\byet another (?:reschedul\w*|cancel\w*|delay|excuse|no-show|missed call|postponement)\b",
    r"\bshut up\b",
    r"\b(?:how|the way|way) (?:you|to) treat (?:\w+ )?(?:people|candidates|applicants|anyone|someone|"
    r"me|others|everyone)\b",
    r"\b(?:needs?|deserves?|ought) to be fired\b|\bshould be fired\b",
    r"\bghost(?:ed|ing)\b",
    r"\b(?:jerk|mess|muck|string|yank|push)ed (?:around|about|along)\b",
    r"\b(?:push|boss|jerk)(?:ed|ing)? (?:\w+ )?around\b",
    r"\bexplain yourself\b|\banswer me\b(?! (?:this|a|one))",
    r"\bdo(?:ing)? your (?:job|jobs)\b",
    r"\bget (?:your|it) (?:\w+ ){0,2}?(?:in order|together)\b",
    r"\b(?:you|your \w+|they|you guys|you people) (?:couldn't|could not|can't|cannot) (?:even )?"
    r"(?:organi[sz]e|run|manage|plan|schedule) (?:a|an)\b",
    r"\bI deserve (?:an?|some) (?:explanation|apology|answer|response|reply)\b",
    r"\bis (?:this|that|it) (?:some (?:kind|sort) of |a )?joke\b",
    r"\btreat\w* (?:\w+ )?(?:people|candidates|applicants|me|us) like (?:this|that|dirt|garbage|"
    r"trash|crap)\b",
    r"\bwho (?:runs|taught|trained|hired|manages|raised) (?:this|you|your)\b",
    r"\bis this how (?:you|your \w+) (?:run|treat|operate|do business|handle|communicate)\b",
    r"\bdo you (?:have )?(?:any|the slightest|the faintest) idea how (?:much|long|many|"
    r"frustrating|annoying|rude|unprofessional)\b",
    r"\byou(?:'re| are) making (?:this|it|things) (?:so |very )?(?:impossible|difficult|hard)\b",
    r"\bwhat(?:'s| is) (?:the holdup|taking (?:you )?so long)\b",
    r"\bnothing but (?:un\w+|rude|excuses|trouble|problems|disappointment|silence|delays|lies|"
    r"a headache)\b",
    r"\b(?:not |un)impressed\b",
    r"\btypical (?:\w+ )?(?:recruiter|recruiting|HR|corporate|company|behaviou?r)\b",
))
# A word of negative judgement is an accusation when the sentence is about the reader and is
# not sympathy: "you guys are a nightmare" but not "sorry you had a terrible week" or
# "thanks for bearing with my chaotic schedule".
_JUDGEMENT = _rx(
    r"\b(?:nightmare|disorgani[sz]ed|unorgani[sz]ed|chaotic|sloppy|careless|arrogant|dishonest|"
    r"unreliable|flaky|inconsiderate|shady|sketchy|awful|terrible|horrible|dreadful|abysmal|"
    r"embarrassing|laughable|pitiful|disaster|hypocrit\w*|condescending|patroni[sz]ing|"
    r"dismissive|unresponsive|negligent|unorgani[sz]ed|selfish|cowardly|spineless|clown \w+|circus|"
    r"unhelpful|useless|shocking|astonishing|staggering|disgusting|mess|"
    r"incompeten\w+|amateur\w*|unacceptable|silence|runaround)\b"
)
_READER = _rx(r"\b(?:you|your|yours|you guys|you people|whoever|this company|this process|"
              r"the process|your (?:team|company|recruiters?|process|HR))\b")
_SYMPATHY = _rx(r"\b(?:sorry|hope|hoping|sympath\w+|condolences|feel better|get well|"
                r"thank|thanks)\b")
_SELF_JUDGED = _rx(r"\b(?:my|I|I'm|I am|I was|mine)(?: \w+){0,2} ?$")
_CLAUSE = re.compile(r"[^.!?;\n]+")


# A sentence of one loaded word is a verdict on the reader: "Unbelievable." "Seriously?"
_VERDICT = _rx(
    r"(?:(?<![^\n])|(?<=[.!?]\s))(?:(?:just|simply|truly|absolutely|honestly) )?(?:unbelievable|unreal|"
    r"seriously|typical|whatever|incredible|pathetic|ridiculous|wow, just wow|shocking|now|enough|"
    r"disgraceful|embarrassing|sad)(?= ?[.!?]|$)"
)
# Accusations except in a condition: "in case you never got my email", "if that's not okay".
_UNLESS_CONDITION = (
    _rx(r"\byou(?:'ve| have)? never\b(?! know)"),
    _rx(r"\bnot (?:acceptable|good enough|professional|appropriate|fair|okay|ok)\b"),
    _rx(r"\byou(?:'ve| have| had)? (?:\w+ )?failed (?:to|me)\b"),
)
_CONDITION_BEFORE = _rx(r"\b(?:if|in case|whether|even if|hope|hoping)(?: \w+'?\w*){0,2} ?$")

_PASSIVE_AGGRESSIVE = tuple(_rx(p) for p in (
    r"\bper my (?:last|previous|earlier|prior|original|below|above)\b"
    r"(?: (?:e-?mail|message|note|mail|voicemail|reply|response))?",
    r"\bas (?:I|I've|I have|I had) (?:already|previously|repeatedly) (?:said|stated|mentioned|"
    r"explained|told you|noted|pointed out|written|asked)\b",
    r"\bas (?:I|I've|I have) (?:said|stated|mentioned|explained|told you|noted|pointed out|"
    r"written|asked) (?:(?:\w+ )?(?:several|multiple|many|numerous|countless|a few|two|three|"
    r"\d+) times|before|already|repeatedly|twice|again|more than once)\b",
    r"\bas (?:previously|already) (?:stated|mentioned|noted|said|explained|indicated)\b",
    r"\bas (?:stated|noted|mentioned|explained|indicated) (?:previously|before|already|"
    r"in my (?:last|previous|earlier|prior))\b",
    r"\bnot sure (?:if|whether) you (?:\w+ ){0,4}?(?:saw|seen|got|received|read|noticed|see|"
    r"get|receive) my\b",
    r"\b(?:thanks|thank you) (?:\w+ )?for finally\b",
    r"\byou (?:\w+ )?finally (?:got|found|replied|responded|answered|decided|bothered|managed|"
    r"called|took|remembered|noticed)\b",
    r"\bnice of you to (?:finally|actually)\b",
    r"\b(?:let me|I'll|I will|I'm going to) (?:repeat|say (?:it|this) again)\b",
    r"\bfor the (?:second|third|fourth|fifth|umpteenth|\d+(?:nd|rd|th)) time\b",
    r"\bhow many (?:more )?times (?:do|must|will|have|should|am) I\b",
    r"\bnot sure how else to (?:say|put|explain|ask)\b",
    r"\bmust be nice\b",
    r"\bwith all due respect\b",
    r"\bno (?:offen[cs]e|disrespect)(?: intended| meant)?,? but\b",
    r"\b(?:reply|response|answer|update|call|courtesy|heads-?up|acknowledge?ment|word) would "
    r"(?:be|have been) nice\b",
    r"\bthanks (?:a lot )?for (?:absolutely |precisely )?nothing\b",
    r"\b(?:thanks|thank you|cheers|grateful|appreciate)\w* (?:\w+ )?for (?:the |your |all the )?"
    r"(?:radio silence|silence|runaround|wasted|ghosting|no-show|disrespect|delays|mess)\b",
    r"\b(?:real|really|very|so) classy\b|\byou had one job\b|\bfor once\b",
    r"\bspeaks volumes\b|\bsays a lot about\b",
    r",? huh ?\?|(?:(?<![^\n])|(?<=[.!?]\s))(?:hello|anyone|anybody)(?: there)? ?\?",
    r"\b(?:somewhere|someone|a company|companies|a place|places) (?:that|who|which|where) "
    r"(?:actually )?(?:respects?|values?|cares? about) (?:people|candidates|applicants|my time|"
    r"their)\b",
    r"\bso-called\b",
    r"\bmy time (?:\w+ )?(?:doesn't|does not|isn't|is not|must not|means nothing|"
    r"counts for nothing)\b",
    r"\bforg(?:ot|otten) (?:all )?(?:about )?(?:me|my (?:application|interview|call|email))\b",
    r"\bstill waiting (?:for|on) (?:a|an|any|your) (?:reply|response|answer|call|callback|"
    r"call back|update)\b",
    r"\bso we're clear\b|\bso we are clear\b",
    r"\bas (?:I|I've|I have) (?:said|stated|mentioned|explained|told you|written|noted) in my "
    r"(?:last|previous|earlier|prior)\b",
    r"\bI(?:'ve| have)? been (?:more than |very |extremely |incredibly |remarkably |nothing but )?"
    r"patient\b",
    r"\bhad to (?:keep )?(?:chase|chasing|beg|remind)\b",
    r"\bgood luck (?:finding|getting|hiring|with that)\b|\byour loss\b",
    r"\bfunny how\b|\byou only (?:reply|respond|call|email|write|get in touch|answer) when\b",
    r"\bnext time,? (?:try|get|have|be|do|make sure)\b",
    r"\bget (?:it|this|things) right (?:next|this) time\b",
    r"\bsome of us (?:actually|have|work|don't|can't)\b",
    r"\bI(?:'ve| have)? (?:been|was) (?:more than|nothing but|beyond) (?:patient|accommodating|"
    r"flexible|understanding|fair|reasonable)\b",
))
# "a friendly reminder" is calm unless it reminds the reader of their own failure.
_REMINDER = _rx(r"\b(?:just )?(?:a )?(?:friendly|gentle|quick|kind) reminder\b")
_REMINDER_EDGE = _rx(
    r"\b(?:you (?:promised|said|were supposed|agreed|committed|told|mentioned you would)|"
    r"still (?:haven't|have not|hasn't|has not|waiting|no)|yet to|already|again|never|"
    r"no (?:reply|response|answer))\b"
)
_SENTENCE_REST = re.compile(r"[^.!?\n]*")

_WHEN_SILENT = (
    r"(?:if I (?:don't|do not|haven't|have not|didn't|did not) (?:hear|get|receive|have)|"
    r"if (?:nobody|no one|no-one) |"
    r"if you (?:don't|do not|can't|cannot|won't|will not|haven't|have not|fail to)|"
    r"unless (?:I|you) )"
)
# After "if I don't hear back, I'll ...": these continuations are a plan, not a threat.
_BENIGN_NEXT = frozenset(
    """
    follow check try call give reach send resend assume presume look keep wait reschedule
    touch ring email e-mail text phone plan understand happy glad available free around
    reachable still write
    """.split()
)
_CONDITIONAL_THREAT = _rx(
    rf"\b{_WHEN_SILENT}[^.;!?\n]{{0,80}}?,? (?:then )?I(?:'ll| will| am going to|'m going to|"
    r" shall|'m| am)(?: be)? (?P<next>[\w-]+)"
)
_THREAT_VERB = (
    r"(?:walk\w*|withdraw\w*|leav\w+|quit\w*|go\w* elsewhere|post\w*|report\w*|escalat\w+|"
    r"complain\w*|tak\w+ \w+ (?:\w+ )?elsewhere|contact\w*|cancel\w*|mov\w+ on|su(?:e|ing)|"
    r"go\w* (?:public|to (?:LinkedIn|Glassdoor|social media|the press|your))|"
    r"look\w* elsewhere|done)"
)
# What a threat threatens: going over the reader's head or public.
_THREAT_ACTION = (
    r"(?:escalat\w+|complain\w*|su(?:e|ing)|report\w* (?:this|you|your|it|the matter)|"
    r"contact\w* (?:your|the) (?:manager|boss|supervisor|ceo|hr|director|head|superior|founder)|"
    r"tak\w+ (?:this|it|the matter) up with|"
    r"go\w* (?:straight |directly )?(?:over your head|to your (?:manager|boss|supervisor|ceo|superior))|"
    r"tak\w+ (?:my|this|it) (?:\w+ )?elsewhere|"
    r"(?:post|leav|writ|shar)\w* (?:\w+ ){0,3}?(?:review|publicly|online|on Glassdoor|"
    r"on LinkedIn|on social media))"
)
_ULTIMATUM = tuple(_rx(p) for p in (
    r"(?<!\bmy\s)\blast chance\b",
    r"\b(?:final|last) (?:warning|notice)\b",
    r"\bor else\b(?= ?(?:[.!?]|$|,? ?(?:I|you)\b))",
    rf"\bor (?:else )?I(?:'ll| will|'m going to| am going to|'m| am)? (?:be )?{_THREAT_VERB}\b",
    r"\bI expect (?:a|an|your|some|to hear|you to) ?(?:\w+ )?(?:response|reply|answer|apology|"
    r"explanation|call|update|back|from you|respond|reply|call|explain|apologi[sz]e)\b",
    r"\bI demand\b|\bI insist on\b",
    r"\byou have (?:\d+|one|two|three|four|five|until \w+) ?(?:\w+ )?(?:hours?|days?|minutes?|"
    r"business days?)? to (?:respond|reply|answer|get back|call|fix|confirm|make)\b",
    r"\bdon't bother (?:contacting|calling|emailing|e-mailing|replying|responding|getting back|"
    r"reaching out)\b",
    r"\bI(?:'ll| will| am going to|'m going to| shall| plan to| intend to| may| might)(?: be)?"
    rf"(?: have to)? {_THREAT_ACTION}",
    r"\b(?:consider|considering|thinking of|thinking about|tempted to|about to|ready to|"
    rf"prepared to|no choice but to) (?:\w+ )?{_THREAT_ACTION}",
    r"\breport\w* (?:this|you|it|your \w+) to\b",
    r"\b(?:I'm|I am) warning you\b|\b(?:will not|won't) (?:tolerate|put up with|stand for)\b",
    r"\b(?:don't|do not|never) (?:ever )?\w+ me again\b",
    r"\bend of (?:story|discussion)\b|\bno exceptions\b",
    r"\b(?:giv\w+|gave) you (?:until|till|til)\b|\byou have until\b",
    r"\bor (?:else )?(?:you'll |you will )?(?:lose|forget about) (?:me|my|us)\b",
    r"\b(?:we're|we are|I'm|I am) (?:done|finished|through)(?= ?[.!]|$)",
    r"\b(?:give|giving|gave) you (?:one more|another|a final|a last|one last) chance\b|"
    r"\bgiving you (?:a|one) chance\b",
    r"\b(?:make sure|let) (?:everyone|everybody|others|people|the world) knows?\b",
    r"\bI want (?:an?|some|my) (?:answer|response|reply|explanation|apology)\b",
    r"\bgo\w* (?:straight |directly )?(?:over your head|above your head|to your (?:manager|boss|"
    r"supervisor|ceo|superior|director|hr|founder))\b",
    r"\btak\w+ (?:this|it|the matter) up with (?:your|the) \w+",
    r"\b(?:not going to|won't|will not|can't|cannot) (?:\w+ )?(?:keep )?(?:wait\w*|chas\w+|"
    r"follow\w* up)(?: around| \w+)? (?:forever|indefinitely|much longer|any longer|anymore)\b",
    r"\b(?:go|going|take|taking|post|posting)\w* (?:\w+ )?(?:to|on) (?:LinkedIn|Glassdoor|Twitter|"
    r"Reddit|social media|the press) (?:with|about) (?:this|it)\b",
    r"\byou(?:'ll| will) regret\b|\byou(?:'d| had) better\b|\b(?:this|it) (?:had )?better be\b",
    r"\b(?:tell|warn) (?:everyone|others|other candidates|anyone who will listen)\b",
    r"\b(?:respond|reply|call|answer|get back to me|confirm|fix)\w* (?:\w+ )?(?:immediately|"
    r"at once|right now|right away)\b",
    r"\bescalat\w+ (?:this|it|the matter|my complaint)\b",
    r"\b(?:speak|talk)(?:ing)? (?:to|with) your (?:manager|supervisor|boss|superior)\b",
))

_EXASPERATION = tuple(_rx(p) for p in (
    r"\bsick (?:and tired |to death )?of\b|\bfed up\b|\bhad (?:it|enough)\b|\bat my wits'? end\b",
    r"\bI(?:'m| am) (?:so |completely |totally )?(?:done|through|finished) (?:with (?:you|your|"
    r"this process|this company)\b|waiting\b|being\b)",
    r"\bI(?:'m| am) (?:so |completely |totally )?over (?:this|it|you)\b",
    r"\bhate (?:recruiters|you|your|this|dealing)\b",
    r"\b(?:beyond|so|extremely|incredibly|utterly|completely|totally|really|very) "
    r"(?:frustrated|annoyed|angry|irritated|fed up|disgusted)\b",
    r"\b(?:furious|livid|outraged|enraged|seething|fuming|disgusted)\b|\binfuriat\w+",
    r"\bbeyond (?:frustrat\w+|annoy\w+|angry|irritat\w+|disappoint\w+|ridiculous|belief|a joke|"
    r"unacceptable|rude)|\b(?:incredibly|extremely|so|beyond|really) (?:frustrating|annoying)\b",
    r"\bwhat on earth\b|\bwhat in the world\b|(?:(?<![^\n])|(?<=[.!?,]\s))forget it\b",
    r"\b(?:los\w+|lost|run\w* out of|out of) (?:my |all )?patience\b|"
    r"\benough is enough\b|\bpatience (?:is|has) (?:\w+ )?(?:running|run|worn|wearing) "
    r"(?:out|thin)\b",
))


# --- the check -----------------------------------------------------------------------------


def _matches(rule: str, patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[
        tuple[str, int, int]]:
    for pattern in patterns:
        for m in pattern.finditer(text):
            yield rule, m.start(), m.end()


def _insults(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _INSULT.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        after = text[m.end():m.end() + 20]
        if _SELF_BEFORE.search(before) or _SELF_AFTER.search(after):
            continue
        yield "insult", m.start(), m.end()
    yield from _matches("insult", (_JOKE, _MESS), text)


def _unless_condition(text: str) -> Iterator[tuple[str, int, int]]:
    for pattern in _UNLESS_CONDITION:
        for m in pattern.finditer(text):
            if not _CONDITION_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                yield "accusation", m.start(), m.end()


def _judgements(text: str) -> Iterator[tuple[str, int, int]]:
    for clause in _CLAUSE.finditer(text):
        lo, hi = clause.span()
        if not _READER.search(text, lo, hi) or _SYMPATHY.search(text, lo, hi):
            continue
        for m in _JUDGEMENT.finditer(text, lo, hi):
            if not _SELF_JUDGED.search(text[max(lo, m.start() - 25):m.start()]):
                yield "accusation", m.start(), m.end()


def _edgy_reminders(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _REMINDER.finditer(text):
        rest = _SENTENCE_REST.match(text, m.end())
        edge = _REMINDER_EDGE.search(text, m.end(), rest.end() if rest else m.end())
        if edge:
            yield "passive_aggressive", m.start(), edge.end()


def _conditional_threats(text: str) -> Iterator[tuple[str, int, int]]:
    for m in _CONDITIONAL_THREAT.finditer(text):
        if m.group("next").lower() not in _BENIGN_NEXT:
            yield "ultimatum", m.start(), m.end()


def _candidates(text: str) -> Iterator[tuple[str, int, int]]:
    for start, end in _shouting(text):
        yield "shouting", start, end
    for m in re.finditer(r"[!?\u203c\u2047-\u2049]{2,}|[\u203c\u2047-\u2049]", text):
        yield "repeated_punctuation", m.start(), m.end()
    yield from _insults(text)
    for m in _PROFANITY.finditer(text):
        yield "profanity", m.start(), m.end()
    yield from _matches("accusation", _ACCUSATION, text)
    yield from _unless_condition(text)
    yield from _judgements(text)
    yield from _matches("accusation", (_VERDICT,), text)
    yield from _matches("passive_aggressive", _PASSIVE_AGGRESSIVE, text)
    yield from _edgy_reminders(text)
    yield from _matches("ultimatum", _ULTIMATUM, text)
    yield from _conditional_threats(text)
    yield from _matches("exasperation", _EXASPERATION, text)


def check(text: str) -> tuple[ToneFlag, ...]:
    """Every passage of `text` a calm reader would not send, in reading order.

    Overlapping hits of one rule are merged into the first, so "you wasted my time" under
    two accusation patterns is shown once; different rules on the same words are all kept,
    because each tells the user something different.
    """
    prose = _prose(text)
    kept: list[tuple[str, int, int]] = []
    for rule, start, end in sorted(set(_candidates(prose)), key=lambda c: (c[1], -c[2])):
        if end <= start:
            continue
        if any(r == rule and s < end and start < e for r, s, e in kept):
            continue
        kept.append((rule, start, end))
    return tuple(
        ToneFlag(rule, text[start:end], start, end, _why(rule, text[start:end]))
        for rule, start, end in kept
    )


def summary(flags: Sequence[ToneFlag]) -> str:
    """A short explanation for the review screen: one line per distinct warning."""
    if not flags:
        return "No tone warnings."
    lines: list[str] = []
    counts: dict[str, int] = {}
    for flag in sorted(flags, key=lambda f: (f.start, f.end)):
        if flag.why not in counts:
            lines.append(flag.why)
        counts[flag.why] = counts.get(flag.why, 0) + 1
    n = len(flags)
    head = (f"{n} tone warning{'s' if n != 1 else ''}: a calm reader might not send this as "
            "it stands. Approval waits for the cool-off; editing these words clears them.")
    body = [f"  - {why}" + (f" (x{counts[why]})" if counts[why] > 1 else "") for why in lines]
    return "\n".join([head, *body])

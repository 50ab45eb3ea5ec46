"""Tone check: flags what a calm reader would not send, and says why.

The review screen shows these flags next to the draft, and a flagged draft waits out the
cool-off before it can be approved. So every flag points at the exact words that triggered
it (a person has to see them to fix them) and carries one plain sentence of why.

Deliberately readable rules rather than a model: pure (no I/O, no clock), fast,
deterministic, and every decision is explained by the rule that made it. The rules lean
towards precision, because a false alarm blocks a kind message for the cool-off while a
miss still has to pass the user's own review. The price is recall on phrasings no rule
anticipated (sarcasm especially), which the "hostile" rule narrows but does not close;
tests/test_tone.py measures both rates.

Rules, by name:
- shouting: two or more capitalised words together, or one ordinary English word written
  in capitals for emphasis ("UNACCEPTABLE", "the THIRD time", "call me NOW", "I'm SO
  excited": emphasis in any mood, see _EMPHATIC); acronyms (PM, CEST, SQL), codes (H1B,
  EC2) and a capitalised word that is not ordinary English ("ACME") are left alone.
- repeated_punctuation: "!!", "?!", "???".
- insult, profanity: modest word lists on word boundaries, with common inflections and
  f*ck-style masking; self-directed uses ("a dumb question", "I'm hopeless at names",
  "my commute was a disaster") are not insults.
- accusation: blaming the reader ("unprofessional", "wasted my time", "you clearly
  didn't...", rhetorical "why does nobody...", curt orders like "explain yourself",
  courtesy or values the reader lacks, "no wonder you can't...", one-word sarcastic
  verdicts like "Classy.", a bare "Answer the question.", "are you seriously...", "was the
  interviewer even...", "like you ignored the last four", "I won't be lectured").
- passive_aggressive: pointing back ("per my last email", "kindly refer to my previous"),
  telling the reader what they should know ("not sure if you're aware"), sarcasm ("thanks
  for nothing", "so much for...", "I'll assume you're just busy", "some of us have actual
  jobs", "so I hope you're happy", "this is the thanks I get", "whatever it is you do",
  "I'll just put my life on hold"), barbed politeness ("with all due respect"); a
  "gentle reminder" of what the reader owes, unless it leaves them the time ("whenever
  you have a moment").
- ultimatum: deadlines with consequences, threats to escalate or go public, burnt bridges
  and curt dismissals ("Don't bother.", "lose my number", "keep your offer"), forwarding
  the thread to the CEO, insisting on now ("Not next week, today.").
- exasperation: declared anger ("sick and tired", "furious", "I'm done waiting", "Again?").
- hostile: for a sentence no rule above flagged, weaker cues added up with readable weights
  (a word of judgement, the reader as its target, intensifiers, "still"/"again", bare
  orders, sarcasm and praise round a complaint, mock praise ("Wow, great job keeping...")
  and mock achievement ("you've managed to..."), "let me guess", disdain, threats of consequences, ironic
  wishes ("I hope it was worth it"), lectures on "next time"), less
  calm signals (an apology, sympathy, thanks); the flag spans the cues and names them.

Quoted lines (starting with ">"), links and e-mail addresses are not the user's prose and
are skipped, so a recruiter's "URGENT!!" quoted under the reply does not block it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ToneFlag:
    rule: str  # short machine name, one of RULES
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
    "hostile": "reads as hostile",
}

RULES: tuple[str, ...] = tuple(_WHY)

_Hit = tuple[str, int, int]  # rule, start, end


def _why(rule: str, words: str) -> str:
    shown = " ".join(words.split())  # a phrase wrapped over two lines reads as one
    return f'{_WHY[rule]}: "{shown}"'


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a phrase pattern written in plain English spelling.

    A literal space matches any run of whitespace (drafts wrap at any word), " ?" matches
    optional whitespace, and a straight apostrophe also matches the typographic one mail
    clients insert. So keep spaces out of character classes and lookbehinds (write \\s).
    """
    # "can't" is also typed "cant": the apostrophe of a literal n't is optional
    source = re.sub(r"(?<=[a-z])n't", "n\0?t", pattern).replace("'", "\0")
    source = source.replace("\0", "['\u2019]").replace(" ?", r"\s*").replace(" ", r"\s+")
    return re.compile(source, re.IGNORECASE)


def _rxs(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(_rx(p) for p in patterns)


def _words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


# --- what is not the user's prose ---------------------------------------------------------

_NOT_PROSE = re.compile(
    r"^[ \t]*>[^\n]*"  # a quoted line of the message being answered
    r"|\b(?:https?://|www\.)\S+"  # links: "?!" or capitals inside a URL are not tone
    # addresses (JOHN.DOE@X.COM is not shouting), bounded as RFC 5321 bounds them so a long
    # run of letters without an "@" is not rescanned from every position
    r"|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}",
    re.MULTILINE,
)


def _prose(text: str) -> str:
    """The text with quotes, links and addresses blanked out, offsets unchanged."""
    return _NOT_PROSE.sub(lambda m: re.sub(r"\S", " ", m.group()), text)


# --- shouting ------------------------------------------------------------------------------

# Capitalised on purpose, not shouting. A word needs listing only if it has a vowel: a
# capitalised word without one (HTML, GDPR, TL;DR) is read as an acronym anyway.
_ACRONYMS = _words(
    """
    PM ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST AKDT HST GMT UTC BST IST CET CEST
    EET EEST WET WEST JST KST SGT HKT AEST AEDT AWST ACST NZST NZDT UK USA EU UAE NYC LA SF
    DC NY CA TX HR CV API SQL AWS GCP OK FYI ASAP ETA TBD TBC RSVP EOD EOW COB OOO PTO CEO
    CTO CFO COO CIO CPO CMO VP SVP EVP MBA BA BS BSC MSC MS MA PHD QA CI CD IT UI UX ML AI
    NLP LLM JSON HTML CSS HTTP HTTPS REST SOAP XML YAML PDF DOCX CRM ERP SAP IBM NASA NATO
    NDA ID RE FW FWD PS NB USD EUR GBP CAD AUD INR LLC INC LTD GMBH PLC SAAS SDK IDE IOS
    AJAX UNIX LINUX MYSQL IEEE UCLA NYU MIT EMEA APAC LATAM AMER OKR KPI ROI
    """
)

# A single word in capitals is shouting when it is an ordinary English word written in
# capitals for emphasis ("the THIRD time", "call me NOW", "I did NOT"), as the spec's
# "words in capitals" says. That holds for warm emphasis too ("I'm SO excited"): capitals
# read as a raised voice whatever the mood, the reader cannot tell a sincere "Thanks SO
# much" from a sarcastic one, and the fix (lower case) also lifts the cool-off at once.
# What is capitalised by convention is not emphasis: acronyms and zones (_ACRONYMS), codes,
# and a capitalised word this list does not know is taken for a name ("ACME", "COBOL"). So
# the list holds the words emphasis uses: function words, negations, quantifiers,
# numbers and ordinals, time words, intensifiers, and the verbs and adjectives of a
# complaint. Short words that double as abbreviations (AM, US, IT, IN, ON, OR, ME, HI) are
# left out on purpose.
_EMPHATIC = _words(
    """
    SO NOW NOT ALL ANY YOU WHY HOW WHO DID DO ARE WAS HAS HAD CAN BUT TOO YET ONE TWO SIX
    TEN YES NO NOR OWN OUR MY WE HE SHE HIM HER HIS GET GOT OFF OUT WAY BIG BAD ASK SAY
    SEE LOT AGO FAR LIE LET PAY PUT SET TRY USE
    NEVER ALWAYS NOBODY NOTHING NONE EVERYONE EVERYBODY ANYONE ANYBODY SOMEONE STILL AGAIN
    ONCE TWICE THREE FOUR FIVE SEVEN EIGHT NINE HOUR HOURS DAYS WEEK WEEKS MONTH MONTHS
    TODAY TONIGHT RIGHT STOP HELLO HELP PLEASE VERY REALLY SERIOUSLY EVER EVEN THIS THAT
    WHAT WHERE WHEN WRONG LATE RUDE DONE ENOUGH MUST NEED WANT DEMAND ONLY EVERY SINGLE
    HARD SIMPLE CALL BACK WAIT WAITED WAITING RESPOND REPLY ANSWER SICK TIRED ANGRY MAD
    JOKE LIES LIED LIAR UNACCEPTABLE RIDICULOUS INSANE CRAZY HATE SHAME URGENT MISSED
    FIRST SECOND THIRD FOURTH FIFTH SIXTH SEVENTH EIGHTH NINTH TENTH LAST NEXT ELEVEN
    TWELVE TWENTY THIRTY FORTY FIFTY HUNDRED DOZEN MINUTE MINUTES YEAR YEARS TIME TIMES
    MUCH MORE MOST LESS LEAST JUST ALSO ALREADY TRULY QUITE WELL SUCH BOTH EACH
    DONT DIDNT CANT WONT ISNT WASNT ARENT WERENT HAVENT HASNT HADNT COULDNT WOULDNT
    SHOULDNT DOESNT AINT CANNOT
    WILL WOULD COULD SHOULD HAVE BEEN WERE DOES MIGHT SHALL BEING
    YOUR YOURS YOURSELF THEY THEM THEIR THERE HERE SOME MANY ANYTHING EVERYTHING SOMETHING
    WITH FROM INTO ABOUT AFTER BEFORE THAN THEN UNTIL SINCE WITHOUT
    SAID TOLD ASKED KNOW KNEW READ SENT GIVE GIVEN GAVE MAKE MADE TAKE TOOK CARE THINK
    BELIEVE HEAR HEARD LISTEN SHOW SHOWED KEEP KEPT TELL GONE COME CAME LOOK FIND FOUND
    SURE TRUE FALSE GOOD GREAT HUGE TINY REAL FULL WHOLE ENTIRE EASY SAME OTHER AWFUL
    TERRIBLE HORRIBLE USELESS STUPID DUMB LAZY LYING FAKE PAID ZERO EMAIL EMAILS OFFER
    AMAZING LOVE THANKS THANK SORRY
    """
)

# A long capitalised word with an English inflection is a word in capitals, not a name.
_INFLECTED = re.compile(r"(?:ABLE|IBLE|ING|ED|LY|TION|SION|NESS|MENT|FUL|LESS|OUS|IVE)$")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# "CALL ME, NOW" is one run; "&" joins a name ("ERNST & YOUNG"), so it ends the run
_GAP_IN_RUN = re.compile(r"[^\S\n]*[,;:/'\u2019\"()-]?[^\S\n]*")
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
    if letters != token.replace("'", "").replace("\u2019", ""):
        return _ACRONYM  # digits inside (H1B, EC2, 3PM) make it a code
    if letters.upper() in _ACRONYMS or not _VOWEL.search(letters.upper()):
        return _ACRONYM
    return _LONG if len(letters) >= 4 else _SHORT


def _judge_run(run: list[tuple[re.Match[str], int]]) -> Iterator[tuple[int, int]]:
    words = [(m, k) for m, k in run if k in (_SHORT, _LONG)]
    if not words:
        return
    emphatic = False
    if len(words) == 1:
        m, k = words[0]
        word = m.group().upper().replace("'", "").replace("\u2019", "")
        emphatic = word in _EMPHATIC or (
            k == _LONG and len(word) >= 6 and _INFLECTED.search(word) is not None)
    # Two capitalised words together ("ALL DAY", "CALL ME BACK") or one emphatic word
    # ("NOW", "THIRD", "UNACCEPTABLE"); an unknown one alone is read as a name ("ACME").
    if len(words) >= 2 or emphatic:
        # Trim acronyms and numbers at the edges ("3 PM NOBODY CALLED" -> "NOBODY CALLED")
        # but keep a capital "I" that opens the run ("I WAITED").
        first = run.index(words[0])
        before = run[first - 1][0].group() if first else ""
        if len(before) == 1 and before.isalpha():
            first -= 1
        yield run[first][0].start(), words[-1][0].end()


def _shouting(text: str) -> Iterator[tuple[int, int]]:
    """Spans of capitals that read as a raised voice."""
    run: list[tuple[re.Match[str], int]] = []
    previous_end = -1
    for m in _TOKEN.finditer(text):
        kind = _kind(m.group())
        joined = bool(run) and _GAP_IN_RUN.fullmatch(text, previous_end, m.start()) is not None
        if kind == _LOWER or not joined:
            yield from _judge_run(run)
            run = []
        if kind != _LOWER:
            run.append((m, kind))
        previous_end = m.end()
    yield from _judge_run(run)


# --- who a sentence is about ---------------------------------------------------------------
# Several rules fire only when a sentence is aimed at the reader: "your team is a mess"
# is an insult, "my commute was a mess" is not.

_READER = _rx(r"\b(?:you|your|yours|you guys|you people|whoever|this company|this process|"
              r"the process|your (?:team|company|recruiters?|process|HR))\b")
_FIRST_PERSON = _rx(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself)\b")
# An apology is about the writer, unless it is the heated "I'm sorry, but...".
_APOLOGY = _rx(r"\b(?:sorry|apologi[sz]e|apologies|my bad)\b(?!,? but\b)")
_SYMPATHY = _rx(r"\b(?:sorry|hope|hoping|sympath\w+|condolences|feel better|get well|"
                r"thank|thanks)\b")
_CLAUSE_ENDS = ".!?;\n"
_CLAUSE = re.compile(r"[^.!?;\n]+")
_CLAUSE_REACH = 300  # a sentence longer than this is not one thought; keeps the check linear


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    floor, ceiling = max(0, start - _CLAUSE_REACH), min(len(text), end + _CLAUSE_REACH)
    lo = max(text.rfind(c, floor, start) + 1 or floor for c in _CLAUSE_ENDS)
    ends = [i for i in (text.find(c, end, ceiling) for c in _CLAUSE_ENDS) if i >= 0]
    return lo, min(ends, default=ceiling)


def _apologises(text: str, start: int, end: int) -> bool:
    lo, hi = _clause(text, start, end)
    return _APOLOGY.search(text, lo, hi) is not None


def _about_self(text: str, start: int, end: int) -> bool:
    """Whether the clause around text[start:end] speaks of the writer, not the reader."""
    lo, hi = _clause(text, start, end)
    if _APOLOGY.search(text, lo, hi):
        return True
    return (_FIRST_PERSON.search(text, lo, start) is not None
            and _READER.search(text, lo, hi) is None)


# --- insults and profanity -----------------------------------------------------------------

_INSULT = _rx(
    r"\b(?:idiot(?:s|ic|ically)?|moron(?:s|ic)?|imbecile?s?|cretins?|clowns?|buffoons?|"
    r"fool(?:s|ish)?|stupid(?:ity|est)?|dumb(?:est|er)?|dimwits?|half-?wits?|nitwits?|"
    r"losers?|liars?|lazy|useless|clueless|hopeless|pathetic|amateurs|amateurish|"
    r"amateur hour|garbage|trash|trashy|shambles|shambolic|farce|clown show|"
    r"dumpster fire|good riddance|laughing ?stock)\b"
)
# Insult words aimed at the writer or at the writer's own question or slip.
_SELF_BEFORE = _rx(r"\bI(?:'m| am| was| feel| felt)(?: \w+)? ?$")
_SELF_AFTER = _rx(r"^ (?:question|mistake|error|typo|oversight|slip)s?\b")
# "a joke", "what a circus": nouns that insult only in these frames ("I made a joke").
_JOKE = _rx(r"\b(?:is|was|are|such|what|a total|a complete|an absolute|a real) (?:a )?joke\b"
            r"|\bjoke of an? \w+|\bwhat an? (?:\w+ )?(?:circus|joke|mess|disaster|farce|shambles|"
            r"nightmare|waste|clown show|shitshow)\b|\bis (?:this|that|it) (?:some (?:kind|sort) "
            r"of |a )?joke\b")
# ...and these also describe the writer's own day ("my commute was a disaster").
_MESS = _rx(r"\b(?:is|was|are|been) (?:an? )?(?:total |complete |absolute |utter |real )?"
            r"(?:mess|disaster|circus|waste of space)\b|\bwaste of space\b")

_PROFANITY = re.compile(
    r"(?<![^\W\d_])(?:"
    r"(?:mother)?fu+ck\w*|f[*#@$%!]{1,3}c?k\w*|f\*{2,3}(?:ing|ed|s)?|fck\w*|fkn"
    r"|(?:bull|horse)?shit\w*|sh[*#@$%!]{1,2}t\w*|s\*{2,3}t"
    r"|crap(?:py|s)?|(?:god)?damn(?:ed|it)?|dammit|hell|heck(?=\W+(?:is|are|was|happened))"
    r"|(?:jack|dumb|smart)?ass(?:es|hole\w*)?|arse(?:hole)?s?|bastards?|bitch\w*"
    r"|piss(?:ed|ing)?|wank\w*|bollocks|sucks|frickin\w*|wtf|ffs|stfu|omfg"
    r"|screw(?:ed|ing)?(?=\s+(?:up|you|your|yours|this|that|it|them|over|around)\b)"
    r"|(?<=the\s)heck|(?<=is\s)BS|(?<=such\s)BS|(?<=total\s)BS"  # not "a BS in Biology"
    r")(?![^\W\d_])",
    re.IGNORECASE,
)

# --- accusations ---------------------------------------------------------------------------

_NEG = r"(?:\w+n't|not|no|never|nothing|none|only|zero)"
_TIME = r"(?:time|afternoon|morning|evening|day|days|weekend|week|weeks|hours?|effort|energy|life)"

_ACCUSATION = _rxs(
    # loaded words about conduct
    r"\bunprofessional\w*|\bunacceptabl[ey]\b|\bridiculous\w*|\bincompeten\w+",
    r"\b(?:absurd|outrageous|appalling|appalled|disgrace|disgraceful|shameful|shameless|"
    r"deplorable|atrocious|inexcusable|insulting|rude|rudely|rudeness)\b|\ban insult\b",
    r"\bdisrespect(?:ful\w*|ed|ing)\b",
    r"\b(?:not |un)impressed\b|\bout of line\b|\btypical (?:\w+ )?behaviou?r\b",
    # my time, wasted
    rf"\bwast(?:e|ed|es|ing) (?:\w+ ){{0,4}}?(?:my|our) (?:\w+ )?{_TIME}\b",
    rf"\bwast(?:e|ed|es|ing) (?:\w+ ){{0,3}}?(?:people's|everyone's|candidates'|"
    rf"an? (?:candidate|applicant|person)'s|anyone's|"
    rf"someone(?: else)?'s|anyone else's|other people's) {_TIME}\b",
    rf"\bwast(?:ed|ing) (?:an?|the|my|our|an? entire|an? whole|the whole|the entire) (?:\w+ )?"
    rf"{_TIME}\b",
    r"\bwast(?:e|ed|es|ing) (?:\w+ ){0,3}?time (?:on|with) (?:you|your|this)\b",
    r"\bwast(?:e|ed|es|ing) (?:\w+ ){0,3}?time (?:waiting|chasing)\b",
    rf"\bwaste of (?:(?!your\b)\w+ ){{0,2}}{_TIME}\b",
    rf"\bruin(?:ed|ing|s)? (?:my|our|the|a) (?:\w+ )?{_TIME}\b",
    r"\bcomplete and utter\b|\butter (?:waste|disaster|joke|mess|farce|shambles|nonsense)\b",
    r"\bmy time is (?:worth|more|too) (?:more|valuable|precious|important)\b",
    r"\b(?:nothing|better things|more important things) to do\b",
    # you, clearly: certainty about the reader's failings
    rf"\byou(?:'re| are)? (?:clearly|obviously|evidently|apparently) (?:\w+ ){{0,3}}?{_NEG}\b",
    r"\b(?:clearly|obviously|evidently) (?:nobody|no one|no-one|none of you)\b",
    r"\byou (?:always|constantly|keep) (?:\w+ )?(?:cancel|reschedul|ignor|forget|forgot|miss|"
    r"chang|push|postpon|delay|ghost)\w*",
    r"\byou must think\b|\bhow dare\b|\byou dare\b|\bwho do you think you are\b",
    r"\byou have (?:some|a lot of) explaining to do\b|\byou owe me\b",
    r"\byou(?:'re| are) making (?:this|it|things) (?:so |very )?(?:impossible|difficult|hard)\b",
    # broken promises and lies
    r"\byou (?:promised|were supposed to|assured me|swore|guaranteed)\b|\bI was (?:promised|"
    r"assured)\b|\b(?:and|but) (?:got|heard|received) nothing\b",
    r"\byou(?:'ve| have)? (?:lied|lie to|are lying|'re lying|were lying)\b|\blying to me\b",
    # neglect: not bothering, not showing up, ignoring
    r"\b(?:never|didn't|did not) (?:even )?(?:bother(?:ed)?|show(?:ed)? up|turn(?:ed)? up)\b",
    r"\b(?:couldn't|could not|can't|cannot|didn't|did not|never|nobody|no one|no-one|hasn't|"
    r"has not|haven't|have not|has|have|had) (?:even )?(?:be )?bother(?:ed|ing)? to\b",
    r"\b(?:couldn't|could not|can't|cannot) be bothered\b",
    r"\b(?:have|had|has|show|showed|shown) (?:even )?the (?:basic |common |simple )?"
    r"(?:courtesy|decency)\b",
    r"\bst(?:ood|and|anding) (?:me|us) up\b|\bno-shows?\b",
    r"\b(?:being|been|be|feel|felt|getting|get|got|keep) ignored\b",
    r"\b(?:stop )?ignor(?:ed|ing) (?:me|my|us|our)\b",
    r"\b(?:left|leav\w+|kept|keep\w*) (?:me |us )?(?:hanging|in the dark)\b",
    r"\b(?:bl(?:ew|own|ow|owing)|brush(?:ed|ing)?|fob(?:bed|bing)?) (?:me|us) off\b",
    r"\bnot (?:a single|one) (?:word|reply|response|email|call|update|phone call)\b",
    r"\b(?:zero|no) (?:communication|response|follow-?up|respect|courtesy)(?: whatsoever| at all)?"
    r"(?= ?(?:[.!?,;]|$|whatsoever|from))",
    r"\black of (?:basic |any )?(?:communication|professionalism|respect|courtesy|"
    r"organi[sz]ation|transparency|follow-?up|response|consideration)\b",
    # "even": the word that turns a question into a reproach
    r"\byou (?:\w+ )?(?:didn't|did not|couldn't|could not|can't|cannot|won't|will not|don't|"
    r"do not) even\b",
    r"\b(?:did|do|does|can|could|have|has) (?:you|they|your \w+|anyone|anybody) (?:\w+ )?even\b",
    r"\b(?:are|were|is|do|did|does|has|have) (?:you|anyone|anybody) (?:\w+ ){0,2}?even\b",
    r"\b(?:nobody|no one|no-one) (?:\w+ )?even\b",
    r"\b(?:can't|cannot|couldn't|could not) even (?:manage|bother|handle|send|make|get|give|"
    r"answer|pick|call|reply|respond|organi[sz]e|schedule|show)\b",
    r"\b(?:do|did|does|don't|didn't|doesn't) (?:you|anyone|anybody) (?:not |ever )?(?:even )?"
    r"(?:read|check|listen|care)\b",
    r"\b(?:you|anyone|nobody|no one|your \w+) (?:clearly |obviously |simply |just )?(?:don't|"
    r"doesn't|didn't|do not|does not) (?:seem to )?care\b|\b(?:nobody|no one) (?:\w+ ){0,2}?"
    r"cares\b",
    # how people are treated
    r"\btreat(?:ed|ing)? (?:me |us |candidates |people |applicants )?(?:so |this |very |"
    r"really |extremely )?(?:poorly|badly|rudely|disrespectfully|unfairly|terribly|horribly|"
    r"like (?:garbage|dirt|trash|crap|a number))\b",
    r"\btreat\w* (?:\w+ )?(?:people|candidates|applicants|me|us) like (?:this|that|dirt|garbage|"
    r"trash|crap)\b",
    r"\b(?:not|is this|this is|that's|that is|is that|isn't|is not) (?:how|the way) "
    r"(?:you|to) treat\b",
    r"\b(?:how|the way|way) (?:you|to) treat (?:\w+ )?(?:people|candidates|applicants|anyone|"
    r"someone|me|others|everyone)\b",
    r"\b(?:this|such|the kind of|this kind of) treatment\b|\bhow you repay\b",
    r"\bworst\b(?: \S+){0,5}? (?:I've|I have|I'd|I had) ever\b",
    r"\bthe worst (?:\w+ )?(?:experience|process|recruit\w*|communication|company|interview\w*|"
    r"treatment)\b",
    r"\b(?:badly|poorly|terribly|horribly|appallingly|unprofessionally) (?:\w+ ){0,3}?"
    r"(?:handled|managed|organi[sz]ed|run|treated|communicated|planned)\b",
    r"\bhandled (?:\w+ )?(?:so |very )?(?:badly|poorly|terribly|horribly|unprofessionally)\b",
    r"\b(?:should|ought to) be (?:embarrassed|ashamed)\b|\bshame on\b|\bproud of "
    r"yoursel(?:f|ves)\b",
    r"\bdisappointed (?:in|by|with) (?:you|your|how|the way)\b|\bdeserve[sd]? better\b",
    r"\b(?:zero|no|little|lost(?: all)?) (?:confidence|faith|trust|respect) (?:in|for) "
    r"(?:you|your)\b",
    r"\b(?:needs?|deserves?|ought) to be fired\b|\bshould be fired\b",
    r"\b(?:nobody|no one|no-one|don't|doesn't) (?:\w+ )?knows? what (?:they're|they are|you're|"
    r"you are) doing\b",
    r"\b(?:you|your \w+|they|you guys|you people) (?:couldn't|could not|can't|cannot) (?:even )?"
    r"(?:organi[sz]e|run|manage|plan|schedule) (?:a|an)\b",
    r"\b(?:skills|intelligence|attention span|manners|professionalism|competence) of an? "
    r"(?:toddler|child|kid|goldfish|teenager|five-year-old|potato|rock|brick|monkey|sloth)\b",
    r"\byou people\b|\bavoid (?:your|this) (?:company|firm|recruiter\w*|agency|team)\b",
    r"\bnothing but (?:unhelpful|unprofessional|unresponsive|unpleasant|unreliable|uncooperative|"
    r"rude|excuses|trouble|problems|disappointment|silence|delays|lies|a headache)\b",
    r"\byet another (?:reschedul\w*|cancel\w*|delay|excuse|no-show|missed call|postponement)\b",
    # rhetorical questions
    r"\bwhy (?:\w+ ){0,3}?(?:nobody|no one|no-one|none of you|never|can't you|won't you|"
    r"didn't you|couldn't you|haven't you|hasn't anyone|has no one|is it so hard|is it so "
    r"difficult)\b",
    r"\bwhy (?:am|do|must|should) I (?:always|have to)\b|\bthe one (?:chasing|following up|"
    r"doing all)\b",
    r"\b(?:is|was) it (?:really )?(?:that|so|too) (?:hard|difficult)\b|\btoo much to ask\b|"
    r"\bhow (?:hard|difficult) (?:can|could|is) it\b",
    r"\bwhat kind of (?:company|recruiter|business|organi[sz]ation|operation|outfit|process|"
    r"people|place)\b",
    r"\bwho (?:runs|taught|trained|hired|manages|raised) (?:this|you|your)\b",
    r"\bis this how (?:you|your \w+) (?:run|treat|operate|do business|handle|communicate)\b",
    r"\bdo you (?:have )?(?:any|the slightest|the faintest) idea how (?:much|long|many|"
    r"frustrating|annoying|rude|unprofessional)\b",
    r"\bwhat(?:'s| is) (?:the holdup|taking (?:you )?so long)\b",
    r"\bare you (?:kidding|joking)\b|\b(?:kidding|joking) me\b|\byou (?:must|have got to|"
    r"'ve got to|gotta) be (?:kidding|joking)\b|\bare you (?:serious|for real)(?= ?[?!])",
    r"\b(?:the|some|a lot of) nerve\b",
    r"\b(?:are|were|is) (?:you|your \w+) (?:\w+ )?seriously\b",
    r"\b(?:was|were|is|are) (?:he|she|they|(?:the|your) (?:\w+ )?(?:"
    r"interviewers?|recruiters?|managers?|panel|panelists?|team|person|people|staff|HR)) even\b",
    # naming the reader's conduct a failing: "we would call this disrespect"
    r"\b(?:call|calls|consider|deem|find) (?:this|that|it|such \w+)(?: \w+)? "
    r"(?:disrespect\w*|rude\w*|unprofessional\w*|unacceptable|incompeten\w+|insult\w*|"
    r"negligen\w+|discriminat\w+|a disgrace|a joke|a farce|a scam|dishonest\w*|cowardly)\b",
    # the reader's past neglect held up: "like you ignored the last four"
    r"\b(?:like|as) you (?:ignored|forgot|dismissed|missed|lost|deleted|cancell?ed|did)(?: with)? "
    r"(?:the|my|all|every) (?:last|previous|other|\w+ (?:emails|messages|calls))\b",
    # condescension refused: "I won't be lectured", "I don't need a recruiter telling me"
    r"\b(?:won't|will not|refuse to|not going to) be (?:lectured|patroni[sz]ed|talked down to|"
    r"spoken to like|treated like)\b",
    r"\bI (?:don't|do not) need (?:(?:a|an|some|the|you|your)\b(?: \S+){0,3}? )?(?:telling|"
    r"lecturing|to lecture|explaining to|mansplaining) me\b",
    # curt orders
    r"(?:(?<![^\n])|(?<=[.!?]\s))(?:just |now |then |so )?(?:answer|explain|address|respond to|"
    r"reply to) (?:the|my|this|that) (?:\w+ )?(?:questions?|e-?mails?|points?|issues?|messages?|"
    r"delays?|decisions?|silence|holdup)"
    r"(?= ?[.!]|$)",
    r"\bexplain yourself\b|\banswer me\b(?! (?:this|a|one))|\bdo(?:ing)? your (?:job|jobs)\b",
    r"\b(?:get your act together|get it together|grow up|do better|learn (?:how )?to (?:read|"
    r"manage|use|tell time|communicate|schedule|count|do your job))\b",
    r"\b(?:clean up|get) your act\b|\bpull yoursel(?:f|ves) together\b|\bhurry up\b",
    r"\bget (?:your|it) (?:\w+ ){0,2}?(?:in order|together)\b|\bshut up\b",
    r"(?:(?<![^\n])|(?<=[.!?;:]\s))(?:please )?sort (?:it|this|yourselves) out\b",
    r"\b(?:try|bother|manage to) (?:showing|turning|to show|to turn) up\b",
    r"\bstop (?:playing|wasting|ignoring|messing|jerking|lying|making excuses|dodging|avoiding)\b",
    r"\bI (?:shouldn't|should not) (?:have|need) to (?:keep )?(?:chase|remind|ask|beg|follow up|"
    r"email|call|explain|repeat|wait|spell)\b",
    r"\bI (?:don't|do not) appreciate\b|\bdon't have time for (?:this|these|your|such)\b",
    r"\bI deserve (?:an?|some) (?:explanation|apology|answer|response|reply)\b",
    # courtesy and values the reader is said to lack
    r"\bcommon (?:courtesy|decency)\b",
    r"\b(?:isn't|is not|aren't|are not|wasn't|was not) (?:\w+ ){0,2}?(?:part of|among|one of) "
    r"(?:your|the company's|this company's|the team's) (?:\w+ )?(?:values|culture|principles)\b",
    # contempt dressed as a remark about the reader
    r"\b(?:wouldn't|would not|won't|will not|didn't|did not|doesn't|does not) (?:have )?"
    r"kill(?:ed)? (?:you|anyone|anybody|them|your \w+)\b",
    r"\b(?:you(?:'re| are| were)|consider (?:yourself|yourselves|it)) (?:\w+ )?lucky (?:that )?"
    r"I\b",
    r"\bno wonder\b(?: \w+){0,4}? (?:can't|cannot|couldn't|don't|doesn't|won't|never|"
    r"nobody|no one|struggl\w+|quit|quits|leave|leaves|left|ghost\w*|los(?:e|es|ing)|lost)\b",
    # games, runarounds and excuses
    r"(?<!no-)(?<!no\s)\bnonsense\b|\bplay(?:ing)? games\b|\bthese games\b|\brun-?around\b",
    r"\b(?:jerk|mess|muck|string|lead|yank)\w* (?:me|us|candidates|people) (?:around|about|"
    r"along|on)\b",
    r"\b(?:jerk|mess|muck|string|yank|push)ed (?:around|about|along)\b",
    r"\b(?:push|boss|jerk)(?:ed|ing)? (?:\w+ )?around\b",
    r"\b(?:another|more|your|enough|the same) excuses?\b|\ba straight answer\b",
    r"(?<!make\s)(?<!making\s)(?<!any\s)(?<!no\s)\bexcuses\b",
    r"\bno excuse for (?:this|that|your|such)\b",
)

# Accusations unless in a condition: "in case you never got my email", "if that's not okay".
_UNLESS_CONDITION = _rxs(
    # one unanswered email is news; several, or all of them, are a charge
    r"\b(?:(?:all|both|each|every one|none) (?:of (?:them|which|those|these|my \w+) )?|"
    r"(?:e-?mails|messages|calls|voicemails|follow-?ups|notes|texts) (?:have |had |all )?)"
    r"(?:went|gone|go|remain(?:ed)?|been|were|are|sat|sit|got) (?:completely |entirely |"
    r"totally |still )?(?:unanswered|unacknowledged|unreturned|ignored)\b",
    r"\byou(?:'ve| have)? never\b(?! know)",
    r"\bnot (?:acceptable|good enough|professional|appropriate|fair|okay|ok)\b",
    r"\byou(?:'ve| have| had)? (?:\w+ )?failed (?:to|me)\b",
)
_CONDITION_BEFORE = _rx(r"\b(?:if|in case|whether|even if|hope|hoping)(?: \w+'?\w*){0,2} ?$")

# Accusations unless about the writer: "sorry for being so disorganized".
_UNLESS_SELF = _rxs(
    r"\b(?:this|that|so) (?:disorgani[sz]ed|unorgani[sz]ed|unprofessional|incompetent|rude|"
    r"careless|sloppy|useless|unreliable)\b",
    r"\bincapable\b",
)
# "I've been ghosted" complains although it is about the writer: only an apology ("sorry
# if it felt like I ghosted you") or the writer as the one who did it excuses it.
_GHOSTED = _rx(r"(?<!\bI\s)\bghost(?:ed|ing)\b")

# A word of negative judgement accuses when its sentence is about the reader and is not
# sympathy: "you guys are a nightmare", not "sorry you had a terrible week".
_JUDGEMENT = _rx(
    r"\b(?:nightmare|disorgani[sz]ed|unorgani[sz]ed|chaotic|sloppy|careless|arrogant|dishonest|"
    r"unreliable|flaky|inconsiderate|shady|sketchy|awful|terrible|horrible|dreadful|abysmal|"
    r"embarrassing|laughable|pitiful|disaster|hypocrit\w*|condescending|patroni[sz]ing|"
    r"dismissive|unresponsive|negligent|incapable|selfish|cowardly|spineless|clown \w+|circus|"
    r"unhelpful|useless|shocking|astonishing|staggering|disgusting|mess|incompeten\w+|"
    r"amateur\w*|unacceptable|silence|runaround)\b"
)
# "my chaotic schedule" is about the writer; "not terrible at all" is no judgement.
_NOT_JUDGED = _rx(r"\b(?:my|I|I'm|I am|I was|mine)(?: \w+){0,2} ?$|\b(?:not|never|hardly|\w+n't)"
                  r"(?: (?:so|that|too|very|really|at all|a|an|the))? ?$")

# A sentence of one loaded word is a verdict on the reader: "Unbelievable." "Seriously?"
_VERDICT = _rx(
    r"(?:(?<![^\n])|(?<=[.!?]\s))(?:(?:just|simply|truly|absolutely|honestly) )?(?:unbelievable|"
    r"unreal|seriously|typical|whatever|pathetic|ridiculous|wow, just wow|shocking|now|enough|"
    r"disgraceful|embarrassing|sad|classy|charming|cute|figures|go figure|nice try|"
    r"(?:how|very|real|so) (?:professional|mature|convenient|classy|original)|how convenient)"
    r"(?= ?[.!?]|$)"
)

# --- passive aggression --------------------------------------------------------------------

_PASSIVE_AGGRESSIVE = _rxs(
    # pointing back at what was already said
    r"\bper my (?:last|previous|earlier|prior|original|below|above)\b"
    r"(?: (?:e-?mail|message|note|mail|voicemail|reply|response))?",
    r"\bas (?:I|I've|I have|I had) (?:already|previously|repeatedly) (?:said|stated|mentioned|"
    r"explained|told you|noted|pointed out|written|asked)\b",
    r"\bas (?:I|I've|I have) (?:said|stated|mentioned|explained|told you|noted|pointed out|"
    r"written|asked) (?:(?:\w+ )?(?:several|multiple|many|numerous|countless|a few|two|three|"
    r"\d+) times|before|already|repeatedly|twice|again|more than once)\b",
    r"\bas (?:I|I've|I have) (?:said|stated|mentioned|explained|told you|written|noted) in my "
    r"(?:last|previous|earlier|prior)\b",
    r"\bas (?:previously|already) (?:stated|mentioned|noted|said|explained|indicated)\b",
    r"\bas (?:stated|noted|mentioned|explained|indicated) (?:previously|before|already|"
    r"in my (?:last|previous|earlier|prior))\b",
    r"\bnot sure (?:if|whether) you (?:\w+ ){0,4}?(?:saw|seen|got|received|read|noticed|see|"
    r"get|receive) my\b",
    r"\b(?:let me|I'll|I will|I'm going to) (?:repeat|say (?:it|this) again)\b",
    r"\bfor the (?:second|third|fourth|fifth|umpteenth|\d+(?:nd|rd|th)) time\b",
    r"\bhow many (?:more )?times (?:do|must|will|have|should|am) I\b",
    r"\bnot sure how else to (?:say|put|explain|ask)\b|\bso we(?:'re| are) clear\b",
    r"\bforg(?:ot|otten) (?:all )?(?:about )?(?:me|my (?:application|interview|call|email))\b",
    r"\bstill waiting (?:for|on) (?:a|an|any|your) (?:reply|response|answer|call|callback|"
    r"call back|update)\b",
    # "finally": a reply framed as overdue
    r"\b(?:thanks|thank you) (?:\w+ )?for finally\b|\bnice of you to (?:finally|actually)\b",
    r"\byou (?:\w+ )?finally (?:got|found|replied|responded|answered|decided|bothered|managed|"
    r"called|took|remembered|noticed)\b",
    # sarcasm
    r"\bthanks (?:a lot )?for (?:absolutely |precisely )?nothing\b",
    r"\b(?:thanks|thank you|cheers|grateful|appreciate)\w* (?:\w+ )?for (?:the |your |all the )?"
    r"(?:radio silence|silence|runaround|wasted|ghosting|no-show|disrespect|delays|mess|"
    r"generic|canned|form letter|boilerplate|copy-?paste\w*)\b",
    r"\bmust be nice\b|\bso-called\b|\b(?:real|really|very|so) classy\b|\byou had one job\b",
    r"(?<=\w\s)for once(?= ?[.!?,]|$)",
    r"\bspeaks volumes\b|\bsays a lot about\b",
    r"\bhuh ?\?|(?:(?<![^\n])|(?<=[.!?]\s))(?:hello|anyone|anybody)(?: there)? ?\?",
    r"\bfunny how (?:you|your|nobody|no one)\b|\byou only (?:reply|respond|call|email|write|"
    r"get in touch|answer) when\b",
    r"\bgood luck (?:finding|getting|hiring|with that)\b|\byour loss\b",
    r"\bnext time,? (?:try|get|have|be|do|make sure|don't|do not|please don't|consider|"
    r"remember|at least|actually)\b|\bget (?:it|this|things) right "
    r"(?:next|this) time\b",
    r"\bsome of us (?:\w+ ){0,2}?(?:actual|real|actually|still)\b|\bsome of us (?:have|had|"
    r"have got) (?:jobs|lives|other)\b",
    # "not sure if you're aware": telling the reader what they should know
    r"\b(?:not sure|unsure|I don't know) (?:if|whether) you(?:'re| are)? (?:\w+ )?(?:aware|"
    r"reali[sz]e|reali[sz]ed|remember|recall)\b",
    r"\bin case you (?:weren't|were not|aren't|are not) aware\b|\bas you (?:should|must|"
    r"surely|ought to) (?:already )?(?:know|be aware|recall|remember)\b",
    r"\b(?:kindly|please) (?:refer|go) (?:back )?to my (?:\w+ )?(?:previous|last|earlier|"
    r"prior|original)\b|\b(?:refer|see|check|read) (?:back )?(?:to )?my (?:previous|last|"
    r"earlier|prior) (?:\w+ )?(?:e-?mails|messages|notes|replies|voicemails|mails)\b",
    # mock assumptions and pretended regard
    r"\bI(?:'ll| will|'m going to)? (?:just )?(?:assume|guess|take it|suppose|presume) (?:that )?"
    r"(?:you(?:'re| are| were| must be)?|your \w+ (?:is|was|are|were)) (?:\w+ )?"
    r"(?:just|simply|too) (?:\w+ )?(?:busy|important|swamped)\b",
    r"\byou(?:'re| are| must be) (?:\w+ )?(?:very|so|too|terribly|extremely|far too) important\b",
    r"\bnot that (?:anyone|anybody|you|your \w+|they|nobody|people) (?:\w+ ){0,2}?(?:cares?|"
    r"notice[sd]?|reads?|listens?|bother(?:s|ed)?)\b",
    r"\bnot that (?:it|this|any of this|my \w+) (?:\w+ )?(?:matters?|means? anything|counts?) "
    r"to (?:you|your|anyone|them)\b",
    r"\b(?:I )?hope you(?:'re| are) (?:happy|satisfied|pleased|proud)(?: now| of yourself| of "
    r"yourselves| with yourself| with yourselves)?(?= ?[.!]|$)",
    r"\b(?:this|that) (?:is|was|'s) (?:the|all the) thanks I get\b|\bthis is what I get for\b",
    r"\bwhatever it is (?:\w+ ){1,3}?do\b|\bwhatever (?:you|they|recruiters|\w+ people) "
    r"(?:\w+ )?do (?:all day|for a living)\b",
    r"\bI(?:'ll| will) just (?:\w+ ){0,2}?(?:put (?:my|our) (?:\w+ )?on hold|sit (?:here|around|"
    r"by the phone)|wait (?:here|around|forever|by the phone)|hold my breath|keep waiting|"
    r"twiddle my thumbs)\b",
    r"\bassume (?:that )?you (?:were|are|was)(?: \w+)? never (?:serious|interested|going to|"
    r"planning|intending)\b",
    r"\bI(?:'d| would) say (?:thanks|thank you|congratulations|good luck|it was a pleasure|"
    r"nice to meet you)\b",
    r"(?:(?<![^\n])|(?<=[.!?]\s))(?:well,? )?so much for\b",
    r"\b(?:somewhere|someone|a company|companies|a place|places) (?:that|who|which|where) "
    r"(?:actually )?(?:respects?|values?|cares? about) (?:people|candidates|applicants|my time|"
    r"their)\b",
    # barbed politeness
    r"\bwith all due respect\b|\bno (?:offen[cs]e|disrespect)(?: intended| meant)?,? but\b",
    r"\b(?:reply|response|answer|update|call|courtesy|heads-?up|acknowledge?ment|word) would "
    r"(?:be|have been) nice\b",
    # my patience and my time, on display
    r"\bI(?:'ve| have)? been (?:more than |very |extremely |incredibly |remarkably |nothing but )?"
    r"patient\b",
    r"\bI(?:'ve| have)? (?:been|was) (?:more than|nothing but|beyond) (?:patient|accommodating|"
    r"flexible|understanding|fair|reasonable)\b",
    r"\bhad to (?:keep )?(?:chase|chasing|beg|remind)\b",
    r"\bmy time (?:\w+ )?(?:doesn't|does not|isn't|is not|must not|means nothing|"
    r"counts for nothing)\b",
)
# "a friendly reminder" is calm unless it reminds the reader of their own failure.
_REMINDER = _rx(r"\b(?:just )?(?:a )?(?:friendly|gentle|quick|kind) reminder\b")
_REMINDER_EDGE = _rx(
    r"\b(?:you (?:promised|said|were supposed|agreed|committed|told|mentioned you would)|"
    r"still (?:haven't|have not|hasn't|has not|waiting|no)|yet to|already|again|never|"
    r"no (?:reply|response|answer))\b"
)
# "...whenever you have a moment": the reminder leaves the reader the time, so it blames nobody
_SOFTENER = _rx(r"\b(?:whenever|when) you (?:have|get|find) (?:a )?(?:moment|minute|chance|second)\b|"
                r"\bno (?:rush|pressure|hurry)\b|\bat your (?:earliest )?convenience\b|"
                r"\bif you have (?:a )?(?:moment|minute|chance)\b")
_SENTENCE_REST = re.compile(r"[^.!?\n]*")

# --- ultimatums ----------------------------------------------------------------------------

# "If I don't hear back by Friday, I will ..." is an ultimatum unless what follows is a plan.
_WHEN_SILENT = (
    r"(?:if I (?:don't|do not|haven't|have not|didn't|did not) (?:hear|get|receive|have)|"
    r"if (?:nobody|no one|no-one) |"
    r"if you (?:don't|do not|can't|cannot|won't|will not|haven't|have not|fail to)|"
    r"unless (?:I|you) )"
)
_CONDITIONAL_THREAT = _rx(
    rf"\b{_WHEN_SILENT}[^.;!?\n]{{0,80}}?,? (?:then )?I(?:'ll| will| am going to|'m going to|"
    r" shall|'m| am)(?: be)? (?P<next>[\w-]+)"
)
_BENIGN_NEXT = _words(
    """
    follow check try call give reach send resend assume presume look keep wait reschedule
    touch ring email e-mail text phone plan understand happy glad available free around
    reachable still write
    """
)
# What "... or I will" threatens.
_THREAT_VERB = (
    r"(?:walk\w*|withdraw\w*|leav\w+|quit\w*|go\w* elsewhere|post\w*|report\w*|escalat\w+|"
    r"complain\w*|tak\w+ \w+ (?:\w+ )?elsewhere|contact\w*|cancel\w*|mov\w+ on|su(?:e|ing)|"
    r"go\w* (?:public|to (?:LinkedIn|Glassdoor|social media|the press|your))|"
    r"look\w* elsewhere|done)"
)
# Going over the reader's head, or public.
_THREAT_ACTION = (
    r"(?:escalat\w+|complain\w*|su(?:e|ing)|report\w* (?:this|you|your|it|the matter)|"
    r"contact\w* (?:your|the) (?:manager|boss|supervisor|ceo|hr|director|head|superior|founder)|"
    r"tak\w+ (?:this|it|the matter) up with|"
    r"go\w* (?:straight |directly )?(?:over your head|to your (?:manager|boss|supervisor|ceo|"
    r"superior))|"
    r"tak\w+ (?:my|this|it) (?:\w+ )?elsewhere|"
    r"(?:post|leav|writ|shar)\w* (?:\w+ ){0,3}?(?:review|publicly|online|on Glassdoor|"
    r"on LinkedIn|on social media))"
)

_ULTIMATUM = _rxs(
    # deadlines and last chances
    r"(?<!\bmy\s)\blast chance\b|\b(?:final|last) (?:warning|notice)\b",
    r"\byou have (?:\d+|one|two|three|four|five|until \w+) ?(?:\w+ )?(?:hours?|days?|minutes?|"
    r"business days?)? to (?:respond|reply|answer|get back|call|fix|confirm|make)\b",
    r"\b(?:giv\w+|gave) you (?:until|till|til|(?:one more|one last|another|a final|\d+ more) "
    r"(?:day|days|hour|hours|week|chance))\b|\byou have until\b",
    r"\b(?:give|giving|gave) you (?:one more|another|a final|a last|one last) chance\b|"
    r"\bgiving you (?:a|one) chance\b",
    r"\b(?:respond|reply|call|answer|get back to me|confirm|fix)\w* (?:\w+ )?(?:immediately|"
    r"at once|right now|right away)\b",
    r"\bend of (?:story|discussion)\b|\bno exceptions\b",
    # or else
    r"\bor else\b(?= ?(?:[.!?]|$|,? ?(?:I|you)\b))",
    rf"\bor (?:else )?I(?:'ll| will|'m going to| am going to|'m| am)? (?:be )?{_THREAT_VERB}\b",
    r"\bor (?:else )?(?:you'll |you will )?(?:lose|forget about) (?:me|my|us)\b",
    r"\bunless (?:someone|somebody|you|anyone) (?:actually |finally )?(?:calls?|replies|reply|"
    r"responds?|gets? back|does|answers?)\b",
    r"\byou(?:'ll| will) regret\b|\byou(?:'d| had) better\b|\b(?:this|it|that) (?:had )?better "
    r"(?:be|not)\b|\bdon't make me\b",
    r"\b(?:I'm|I am) warning you\b|\b(?:will not|won't) (?:tolerate|put up with|stand for)\b",
    # demands
    r"\bI expect (?:a|an|your|some|to hear|you to) ?(?:\w+ )?(?:response|reply|answer|apology|"
    r"explanation|call|update|back|from you|respond|reply|call|explain|apologi[sz]e)\b",
    r"\bI demand\b|\bI insist on\b",
    r"\bI want (?:(?:an?|some|my|real|straight|proper|clear) ){0,2}(?:answers?|responses?|reply|replies|"
    r"explanations?|apolog(?:y|ies))\b",
    # escalation and publicity
    r"\bI(?:'ll| will| am going to|'m going to| shall| plan to| intend to| may| might)(?: be)?"
    rf"(?: have to)? {_THREAT_ACTION}",
    r"\b(?:consider|considering|thinking of|thinking about|tempted to|about to|ready to|"
    rf"prepared to|no choice but to) (?:\w+ )?{_THREAT_ACTION}",
    r"\breport\w* (?:this|you|it|your \w+) to\b|\bescalat\w+ (?:this|it|the matter|my "
    r"complaint)\b",
    r"\bgo\w* (?:straight |directly )?(?:over your head|above your head|to your (?:manager|boss|"
    r"supervisor|ceo|superior|director|hr|founder))\b",
    r"\btak\w+ (?:this|it|the matter) up with (?:your|the) \w+",
    r"\b(?:forward|cc|copy|copying|send|show|loop)\w*(?: \w+){0,3}? (?:to |in )?(?:your|the "
    r"company's) (?:ceo|boss|supervisor|superior|founder|president|legal \w+|board)\b",
    r"\bforward\w* (?:this|our|these|the|all) (?:\w+ )?(?:thread|e-?mails?|exchange|"
    r"correspondence|conversation|messages) to (?:your|the) (?:manager|hr|director|head)\b",
    r"(?:(?<![^\n])|(?<=[.!?]\s))not (?:next \w+|tomorrow|later|eventually|someday|in \w+ \w+), "
    r"(?:today|now|tonight|this \w+)\b",
    r"\b(?:speak|talk)(?:ing)? (?:to|with) your (?:manager|supervisor|boss|superior)\b",
    r"\b(?:go|going|take|taking|post|posting)\w* (?:\w+ )?(?:to|on) (?:LinkedIn|Glassdoor|"
    r"Twitter|Reddit|social media|the press) (?:with|about) (?:this|it)\b",
    r"\bI(?:'ll| will| am going to|'m going to| plan to)(?: be)? (?:tell|warn)\w* (?:everyone|"
    r"everybody|others|other candidates|anyone)\b|\bwarn\w* (?:other candidates|others)\b",
    r"\b(?:make sure|let) (?:everyone|everybody|others|people|the world) knows?\b",
    # burnt bridges and the end of patience
    # curt dismissals: the door shut on the reader
    r"\b(?:don't|do not) (?:even )?bother(?= ?(?:[.!]|$))|(?:(?<![^\n])|(?<=[.!?]\s))"
    r"(?:save it|spare me)(?= ?(?:[.!]|$))",
    r"\b(?:lose|forget|throw away|bin|burn) my (?:phone )?(?:number|contact(?: details)?|"
    r"email(?: address)?|address|name)\b|\bforget (?:that )?I (?:ever )?(?:applied|exist\w*)\b",
    r"\b(?:you can |feel free to )?keep your (?:\w+ ){0,2}?(?:offer|job|role|position|money|"
    r"company|opportunity|excuses|apology|apologies)\b",
    r"\bdon't bother (?:contacting|calling|emailing|e-mailing|replying|responding|getting back|"
    r"reaching out)\b",
    r"\b(?:don't|do not|never) (?:ever )?\w+ me again\b",
    r"\bnever (?:\w+ ){0,4}?(?:your|this) (?:company|firm|team|organi[sz]ation|agency) again\b",
    r"\b(?:we're|we are|I'm|I am) (?:done|finished|through)(?= ?[.!]|$)",
    r"\b(?:not going to|won't|will not|can't|cannot) (?:\w+ )?(?:keep )?(?:wait\w*|chas\w+|"
    r"follow\w* up)(?: around| \w+)? (?:forever|indefinitely|much longer|any longer|anymore)\b",
    r"\b(?:I'm not|I am not|I won't|I will not|not going to) (?:be )?(?:ask|asking|remind\w*|"
    r"say\w*|repeat\w*|tell\w*) (?:\w+ )?again\b",
)

# --- exasperation --------------------------------------------------------------------------

_EXASPERATION = _rxs(
    r"\bsick (?:and tired |to death )?of\b|\bfed up\b|\bhad (?:it|enough)\b|\bat my wits'? end\b",
    r"\bI(?:'m| am) (?:so |completely |totally )?(?:done|through|finished) (?:with (?:you|your|"
    r"this process|this company)\b|waiting\b|being\b)",
    r"\bI(?:'m| am) (?:so |completely |totally )?over (?:this|it|you)\b",
    r"\bhate (?:recruiters|you|your|this|dealing)\b",
    r"\b(?:beyond|so|extremely|incredibly|utterly|completely|totally|really|very) "
    r"(?:frustrated|annoyed|angry|irritated|fed up|disgusted)\b",
    r"\bbeyond (?:frustrat\w+|annoy\w+|angry|irritat\w+|disappoint\w+|ridiculous|belief|a joke|"
    r"unacceptable|rude)|\b(?:incredibly|extremely|so|beyond|really) (?:frustrating|annoying)\b",
    r"\b(?:furious|livid|outraged|enraged|seething|fuming|disgusted)\b|\binfuriat\w+",
    r"\b(?:what|where|why|how|who) on earth\b|\bwhat in the world\b",
    r"\bnot what I signed up for\b|\bdidn't sign up (?:for this|to be)\b",
    r"(?:(?<![^\n])|(?<=[.!?,]\s))forget it\b",
    r"(?:(?<![^\n])|(?<=[.!?]\s))(?:yet |once |and )?again(?= ?(?:[.!?]|$))",
    r"\b(?:los\w+|lost|run\w* out of|out of) (?:my |all )?patience\b|\benough is enough\b|"
    r"\bpatience (?:is|has) (?:\w+ )?(?:running|run|worn|wearing) (?:out|thin)\b",
)

_REPEATED_PUNCTUATION = re.compile(r"[!?\u203c\u2047-\u2049]{2,}|[\u203c\u2047-\u2049]")


# --- hostility: evidence added up --------------------------------------------------------
# The phrase rules above catch the wordings someone anticipated; a heated sentence nobody
# anticipated usually still carries several weaker cues at once: a word of judgement, the
# reader as its target, an intensifier, a "still"/"again", a bare order, sarcasm. Each cue
# has a weight, calm signals (an apology, sympathy, thanks) subtract, and a sentence is
# flagged when the total reaches _HOSTILE_AT and at least one cue is itself negative (so
# "I'm still very interested" is never a complaint, however many amplifiers it has).

_HOSTILE_AT = 3


@dataclass(frozen=True)
class _Cue:
    name: str  # shown in the why: 'judgement "poorly"'
    weight: int
    pattern: re.Pattern[str]
    negative: bool  # carries the hostility itself, rather than amplifying it
    cap: int = 0  # most the cue adds however often it matches (0: its weight)


def _cue(name: str, weight: int, pattern: str, negative: bool = True, cap: int = 0) -> _Cue:
    return _Cue(name, weight, _rx(pattern), negative, cap or weight)


# Words of judgement about conduct or quality, by strength. Words that mostly describe
# bad luck rather than bad conduct (sad, tragic, sick, disappointed) are left out: people
# write them calmly all the time.
_STRONG_JUDGEMENT = (
    r"contempt\w*|condescend\w*|patroni[sz]\w+|incompeten\w+|inept\w*|embarrass(?:ment|ing)|"
    r"disgrace\w*|shame(?:ful|less)\w*|shambolic|pathetic\w*|pitiful|laughabl[ey]|insult\w*|"
    r"disrespect\w*|arrogan\w+|dishonest\w*|deceit\w*|decepti\w+|mislead\w*|misled|"
    r"hypocri\w+|sham|farce|fiasco|travesty|circus|clowns?|nonsense|garbage|rubbish|trash|"
    r"lousy|shoddy|sloppy|abysmal|atrocious|appall\w*|dreadful|horrendous|horrible|terrible|"
    r"awful|disgust\w*|outrageous\w*|unacceptabl[ey]|unprofessional\w*|unethical|spineless|"
    r"cowardly|clueless|useless|worthless|negligen\w+|callous|rude\w*|disorgani[sz]\w*|"
    r"amateur\w*|mediocr\w+|incapable|inexcusabl[ey]|unforgivabl[ey]|absurd\w*|ludicrous|"
    r"preposterous|idiot\w*|stupid\w*|lazy|laziness|selfish|shady|sketchy|scam\w*|fraud\w*|"
    r"bullying|hostile|belittl\w+|demeaning|degrading|humiliat\w+|exploit\w*|"
    r"unreasonabl[ey]|disingenuous|two-faced|spin|lies|lied|lying|ghost(?:ed|ing)|worst|"
    r"immature|childish|petty|beyond a joke|discriminat\w+|biased|prejudiced?|ageis[mt]|"
    r"sexis[mt]|racis[mt]"
)
_MILD_JUDGEMENT = (
    r"poorly|poor|badly|unable|incapable|fail(?:ed|s|ing|ure|ures)?|excuses?|platitudes?|"
    r"empty|vague|evasive|dodg\w+|ignor(?:ed|ing|es)|vanish\w*|disappear(?:ed|ing)|"
    r"silence|flaky|unreliabl[ey]|unresponsive|unhelpful|dismissive\w*|inconsiderate|"
    r"thoughtless|careless\w*|robotic|canned|scripted|copy-?paste\w*|boilerplate|botch\w*|"
    r"blunder\w*|unprepared|chaos|chaotic|mess|messy|sloppiness|a lack of|broken|"
    r"wrong|mistakes|errors|unclear|confusing|contradict\w*|u-?turn|flip-?flop\w*|"
    r"tone-?deaf|insensitive|unfair\w*|cheap|lowball\w*|stingy|greed\w*|"
    r"stall\w*|drag(?:ged|ging) (?:on|out|your feet)|bad faith|bait|wast(?:e|ed|es|ing)|"
    r"automated|generic|form letter|drop(?:ped|ping)? the ball|mess(?:ed|ing)? (?:up|this up)|"
    r"blew it|fell (?:short|through the cracks)|fumbl\w+|screw-?up|cock-?up|shady|backwards|"
    r"hoops|(?:didn't|did not|never) (?:even )?(?:show|turn up|reply|respond|look|read|check)"
)

_AIMED = _cue("aimed at you", 1, r"\b(?:you|your|yours|yourself|yourselves|y'all|u|ur|nobody|"
              r"no one|no-one|none of you|whoever|this company|recruiters)\b", negative=False)

_HOSTILE_CUES: tuple[_Cue, ...] = (
    _cue("judgement", 2, rf"\b(?:{_STRONG_JUDGEMENT})\b", cap=3),
    _cue("judgement", 1, rf"\b(?:{_MILD_JUDGEMENT})\b", cap=2),
    # contempt for the reader's competence or honesty
    _cue("disdain", 3, r"\b(?:someone|somebody|anyone|a person|people) (?:\w+ )?(?:more|less) "
         r"(?:competent|capable|professional|organi[sz]ed|reliable|responsive|honest|"
         r"qualified|serious)\b"),
    _cue("disdain", 2, r"\bby (?:someone|somebody|a person|people|a company|an? \w+) (?:who|that) "
         r"(?:can't|cannot|couldn't|doesn't|didn't|won't|never)\b|\bexpected (?:far |much |a lot |a little |a bit )?(?:better|more)\b|"
         r"\b(?:tells|told|shows|showed) (?:me )?(?:everything|all|enough|exactly what) "
         r"(?:I need|I needed|about)\b|\bsays (?:it all|everything|enough)\b|\bspare me\b|"
         r"\bdon't (?:insult|patroni[sz]e|lecture|gaslight) me\b|\bpattern of\b|"
         r"\bthe least (?:you|they|anyone|your \w+) could\b|\bbare minimum\b|"
         r"\bnot rocket science\b|\bit(?:'s| is) not (?:that |exactly )?(?:hard|difficult|"
         r"complicated)\b|\ba child could\b|\bnot interested in (?:any |hearing )?(?:more|"
         r"further|another)\b|\bjust (?:admit|be honest|say so|tell me)\b|"
         r"\b(?:whatever|whoever) (?:it is )?you (?:call|think)\b|\bbenefit of the doubt\b|"
         r"\bif (?:that(?:'s| is)|this is) how you\b|\bget (?:your|their|its|his|her) (?:act|"
         r"house|stuff|story|facts) (?:together|straight|in order)\b|\bin business\b|"
         r"\b(?:are|is|you're|they're|he's|she's)(?: \w+){0,2}? still employed\b|\b(?:got|get|gets) hired\b|\bnot (?:that )?desperate\b|"
         r"\b(?:real|very|so) mature\b|\bneeds? to learn\b|\bbasic (?:manners|courtesy|"
         r"respect|decency|professionalism)\b|\bbetter things to (?:do|spend)\b|\b(?:doesn't|"
         r"does not|didn't|did not) (?:even )?(?:exist|really exist)\b|\b(?:fake|ghost) "
         r"(?:job|role|listing|posting)\b|\b(?:has|have|had) "
         r"(?:clearly |obviously )?never (?:had to|been|done|worked|hired|applied)\b|\bspell (?:it|this|that) out\b|\bwhat part of\b|"
         r"\blet me (?:make (?:it|this) (?:simple|clear)|put it simply)\b|\bin plain English\b|"
         r"\bexpected nothing (?:less|more|else|better)\b|\bproud of (?:themselves|yourself|"
         r"yourselves|himself|herself)\b|\bidea of (?:communication|professionalism|"
         r"organi[sz]ation|a (?:timely|quick|prompt))\b|\bwhen (?:you|they) (?:need|want) "
         r"something\b|\bthe level of (?:organi[sz]ation|professionalism|communication|"
         r"competence|respect|service)\b|\bI (?:was|am) (?:not|never) "
         r"(?:a priority|important)\b|\bclearly (?:not )?a priority\b"),
    _cue("disdain", 3, r"\b(?:maybe|perhaps)?,? ?next time,? (?:try|read|check|learn|ask|"
         r"think|consider|look|get|do|make|actually|bother|have|be)\b|\b(?:does|do|did) "
         r"(?:anyone|anybody|someone|somebody|you|your \w+)(?: \w+){0,4} (?:own|have|possess|"
         r"use|check|read) (?:a|an|the|any|their|your) (?:calendar|clock|watch|phone|inbox|"
         r"diary|calculator|spell-?check\w*|dictionary|map)\b"),
    # sarcasm: praise wrapped round a complaint
    _cue("praise", 2, r"(?:(?<![^\n])|(?<=[.!?]\s))(?:oh,? )?(?:wonderful|great|fantastic|"
         r"brilliant|perfect|lovely|splendid|amazing|awesome|terrific|marvell?ous|superb|"
         r"excellent|nice|cool|charming|well done|bravo|congratulations|kudos|nice (?:work|"
         r"job|one)|good job|way to go|love (?:that|how|it))(?= ?[,!.]| (?:to|how|that)\b)|"
         r"(?<=,\s)(?:cool|nice|great|lovely|perfect|brilliant|fantastic|awesome|wonderful|"
         r"classy|(?:great|nice|good) (?:work|job|one)(?: \w+)?)(?= ?[.!]?$)|"
         r"\b(?:really|truly|so) (?:appreciated|impressive|professional|helpful)\b|\bstellar\b|"
         r"\btop-?notch\b|\bworld-?class\b|\bgold (?:medal|star)\b|\bhat'?s off\b",
         negative=False),
    _cue("sarcasm", 2, r"\b(?:exactly|just) what I (?:needed|wanted|was hoping for)\b(?! to (?:hear|know|learn|read))|"
         r"\blet me guess\b|\bso,? (?:thanks|thank you|cheers) (?:so much |a lot |very much )?"
         r"for that(?= ?[.!]|$)|\b(?:shows|showed|says|tells|proves) (?:me )?(?:exactly |just |really )?"
         r"how (?:much|little) (?:you|your \w+|they|the company) (?:\w+ )?(?:value|valued|care|"
         r"cared|respect|respected|think|thought)\b|"
         r"\bmasterclass in\b|\ba real treat\b|\bhow (?:nice|lovely|kind|thoughtful|"
         r"considerate|generous|sweet) of (?:you|your)\b|\bwhat a (?:surprise|shock)\b|"
         r"\b(?:evidently|apparently|clearly|obviously),? I (?:was|am|'m) (?:wrong|mistaken)\b|"
         r"\bforgive me for (?:assuming|thinking|expecting|believing|hoping)\b|"
         r"\bif I(?:'m| am) lucky\b|\b(?:thanks|thank you|cheers) (?:so much |a lot |very much )?for (?:wasting|ignoring|"
         r"ghosting|cancel\w*|standing|leaving|nothing|the runaround|letting me down|"
         r"forgetting|keeping me (?:waiting|hanging|in the dark))\b|"
         r"\bshocking(?:ly)?,? I know\b|\bwho knew\b|\bcolou?r me\b|\bno surprise\b|"
         r"\bas usual\b|\bof course(?=,? (?:nobody|no one|you|it|the|that))\b|"
         r"\b(?:the|your|this|so-called) [\"\u201c\u2018'](?-i:[a-z]+(?: [a-z]+)?)[\"\u201d\u2019']"),
    # "Wow, great job keeping us informed": exclaimed praise of a doing, the shape of mockery
    # (sincere praise names its object: "great job on the launch")
    _cue("mock praise", 3, r"(?:(?<![^\n])|(?<=[.!?]\s))(?:wow|oh|gee|well),? (?:great|nice|good|"
         r"amazing|fantastic|brilliant|stellar|excellent|terrific|superb|wonderful) (?:job|work|"
         r"effort) \w+ing\b"),
    # mock achievement: "you've managed to lose the best candidate"
    _cue("mock achievement", 1, r"\byou(?:'ve| have)? (?:\w+ )?managed to\b"),
    # irony: a wish that the reader's harm paid off ("I hope cancelling was worth it")
    _cue("irony", 1, r"\bhope (?:\w+ ){0,6}?(?:is|was|were|are|'s|will be) (?:all )?worth (?:it|"
         r"the)\b"),
    # a lecture on how to do it next time ("read it properly before replying next time")
    _cue("lecture", 2, r"\b(?:properly|carefully|correctly|more carefully|first|before \w+ing|"
         r"before you \w+)(?: \w+){0,3} next time\b"),
    # insinuation: "Funny how...", "Interesting that..."
    _cue("insinuation", 1, r"(?:(?<![^\n])|(?<=[.!?]\s))(?:it(?:'s| is) )?(?:interesting|funny|"
         r"curious|strange|odd|convenient|remarkable|amazing|incredible) (?:that|how)\b|"
         r"\bconveniently\b"),
    # consequences promised
    _cue("threat", 3, r"\b(?:I(?:'ll| will| am going to|'m going to| plan to| intend to)|will be)"
         r"(?: be)? (?:shar|tell|warn|post|writ|leav|report|flag|mention)\w* (?:\w+ ){0,2}?"
         r"(?:my experience|this|about this|about you|everyone|every \w+ I know|my network|"
         r"others|other candidates|a review|people I know|my followers|publicly|online)\b|"
         r"\b(?:lawyer|attorney|solicitor|legal action|legal advice|tribunal|labou?r board)\b|"
         r"\b(?:don't|do not|never) (?:contact|email|e-mail|call|message|text) (?:me|us) "
         r"(?:again|unless|until)\b|\bconsequences\b|\byou(?:'ll| will) (?:be )?hear(?:ing)? from my\b|"
         r"\bI know people\b|\bblacklist\w*\b|\bnever (?:apply|recommend|work)\w* "
         r"(?:\w+ )?(?:to |for |with )?(?:you|your|this)\b"),
    # the reader as the target
    _AIMED,
    _cue("intensifier", 1, r"\b(?:frankly|seriously|truly|utterly|completely|totally|"
         r"absolutely|deeply|extremely|incredibly|genuinely|literally|clearly|obviously|"
         r"simply|whatsoever|at all|hard to overstate|beyond|entire|whole|every single|"
         r"ever|such an?|so (?:much|many|little|poorly|badly)|any more|anymore|honestly|"
         r"big time|asap|at this point|not gonna lie|ngl|"
         r"even|the most|the worst|worst)\b", negative=False),
    _cue("repetition", 1, r"\b(?:again|still|yet|twice|another(?! (?:offer|role|position|opportunity|company|job|"
         r"option|interview process))|(?:two|three|four|five|six|"
         r"several|many|multiple|countless|\d+) (?:times|reschedul\w+|cancel\w*|emails|calls|"
         r"messages|weeks|months|days|attempts|follow-?ups)|(?:second|third|fourth|fifth|"
         r"umpteenth|nth) (?:time|reschedul\w*|cancel\w*|email|call|attempt)|"
         r"how many (?:times|more)|every (?:time|single time)|always|constantly|"
         r"repeatedly|keep \w+ing|keeps \w+ing|this time|once again|for (?:weeks|months|"
         r"days|ages)|it(?:'s| has) been (?:\w+ ){0,2}?(?:days|weeks|months))\b", negative=False),
    # reproach: words that turn a statement into a charge
    _cue("reproach", 1, r"\b(?:(?:I|you|anyone) actually (?:asked|said|wrote|told|mentioned|requested|read|"
         r"replied|answered)|(?:n't|not|never) (?:even )?bother\w*|bothered to|supposed to|"
         r"should have|could have|would have|instead of|at least|too much|basic|apparently|"
         r"so-called|pretend\w*|claim(?:ed|s)? to|somehow|conveniently|suddenly|"
         r"no idea|no one|nobody|none of|not once|not a single|not even|zero|"
         r"(?:can't|couldn't|didn't|don't|won't) even|"
         r"chas(?:e|ed|ing)|nothing (?:from|back|at all)|(?:you|u) said (?:you|someone|they|it|"
         r"that)|no (?:warning|notice|explanation|apology|reason|reply|response|answer|"
         r"update|feedback|heads-?up)|stop \w+ing|without (?:notice|warning|explanation|"
         r"a word)|under the impression|the way you|no,? thank(?:s| you)|only (?:\w+ ){0,4}?"
         r"(?:after|when|once) (?:I|you)|(?:does|do|did|is|can) (?:anyone|anybody)|I refuse|"
         r"promis(?:e|es|ed)|before even|so no(?= ?[.!]?$))\b", cap=2),
    # a bare order: a sentence that opens with a demand verb
    _cue("bare order", 1, r"(?:(?<![^\n])|(?<=[.!?]\s))(?:(?:so|now|just|then),? )?"
         r"(?:answer|tell|explain|stop|spare|give|send|call|fix|get|show|respond|reply|"
         r"confirm|read|check|sort|do|don't|quit|listen|remember|pick|learn|try|make|"
         r"decide|admit|own|figure|update|keep) (?:me|my|us|it|the|your|this|that|what|why|\w+ing|"
         r"whether|up|out|already|now|properly|for once)\b"),
)

# What a calm writer says: it takes the edge off the cues in the same sentence.
_CALM_CUES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("apology", 2, _rx(r"\b(?:sorry|apologi[sz]e|apologies|my (?:mistake|fault|bad)|"
                       r"I (?:mixed|messed|got) (?:up|it wrong)|forgive me\b(?! for (?:assuming|thinking|expecting|believing|hoping)))"
                       r"\b(?!,? but\b)")),
    ("sympathy", 2, _rx(r"\b(?:I hope|hope (?:you|your|the|things|all|it)|I understand|"
                        r"understandabl[ey]|no worries|no rush|no problem|these things happen|"
                        r"things come up|totally understand|completely understand|"
                        r"feel better|get well|take care|take your time|no pressure)\b")),
    ("thanks", 1, _rx(r"\b(?<!no\s)(?<!no,\s)(?:thank|thanks|grateful|appreciate|glad|happy to|excited|"
                      r"looking forward|look forward|love to|would love|keen)\b")),
    ("hedge", 1, _rx(r"\b(?:I'm afraid|unfortunately|I'd prefer|I would prefer|I'd rather|"
                     r"if (?:that's|that is) (?:ok|okay|all right|alright|fine)|"
                     r"I wonder|I was wondering|could you|would you|can you|please)\b")),
)
# A judgement about the writer's own day or work is no charge: "my last project failed",
# "I was unprepared". A negation is no judgement either: "not bad at all".
_OWN = _rx(r"\b(?:my|I|I'm|I am|I was|I've|I had|mine|we|we're|our|it was)(?: \w+){0,3} ?$")
_NEGATED = _rx(r"\b(?:not|never|hardly|\w+n't)(?: (?:so|that|too|very|really|at all|a|an|the|"
               r"be|been))? ?$")
_SENTENCE = re.compile(r"[^.!?\n]{1,400}")


def _hostility(text: str, lo: int, hi: int) -> tuple[int, int, str] | None:
    """The span and reasons of text[lo:hi] if its cues add up to hostility."""
    has_reader = _AIMED.pattern.search(text, lo, hi) is not None
    found: dict[tuple[str, bool], list[tuple[int, int, int]]] = {}
    for cue in _HOSTILE_CUES:
        for m in cue.pattern.finditer(text, lo, hi):
            if cue.name == "judgement":
                before = text[max(lo, m.start() - 30):m.start()]
                if _NEGATED.search(before) or (not has_reader and _OWN.search(before)):
                    continue
            found.setdefault((cue.name, cue.negative), []).append(
                (m.start(), m.end(), cue.weight))
    # Praise counts as sarcasm only next to a complaint: "Wonderful, another cancellation."
    if not any(negative for _, negative in found) and not (
            ("praise", False) in found and ("repetition", False) in found):
        return None
    score, reasons, spans = 0, [], []
    for cue in _HOSTILE_CUES:  # each cue name counts once, up to its cap
        key = (cue.name, cue.negative)
        hits = found.pop(key, None)
        if not hits:
            continue
        score += min(cue.cap, sum(w for _, _, w in hits))
        spans.extend((s, e) for s, e, _ in hits)
        shown = ", ".join(f'"{" ".join(text[s:e].split())}"' for s, e, _ in hits[:2])
        reasons.append(f"{cue.name} {shown}")
    # Irony borrows polite words ("I hope whoever did this is proud of themselves"), so
    # beside sarcasm, disdain or a threat they soften nothing; an apology still does.
    ironic = any(r.startswith(("sarcasm", "praise", "mock", "disdain", "threat", "irony"))
                 for r in reasons)
    for name, weight, pattern in _CALM_CUES:
        if pattern.search(text, lo, hi) and not (ironic and name != "apology"):
            score -= weight
    if score < _HOSTILE_AT:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans), "; ".join(reasons)


# --- the check -----------------------------------------------------------------------------


def _matches(rule: str, patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[_Hit]:
    for pattern in patterns:
        for m in pattern.finditer(text):
            yield rule, m.start(), m.end()


def _insults(text: str) -> Iterator[_Hit]:
    for m in _INSULT.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        after = text[m.end():m.end() + 20]
        if not (_SELF_BEFORE.search(before) or _SELF_AFTER.search(after)):
            yield "insult", m.start(), m.end()
    yield from _matches("insult", (_JOKE,), text)
    for m in _MESS.finditer(text):
        if not _about_self(text, m.start(), m.end()):
            yield "insult", m.start(), m.end()


def _accusations(text: str) -> Iterator[_Hit]:
    yield from _matches("accusation", (*_ACCUSATION, _VERDICT), text)
    for pattern in _UNLESS_CONDITION:
        for m in pattern.finditer(text):
            if not _CONDITION_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                yield "accusation", m.start(), m.end()
    for pattern in _UNLESS_SELF:
        for m in pattern.finditer(text):
            if not _about_self(text, m.start(), m.end()):
                yield "accusation", m.start(), m.end()
    for m in _GHOSTED.finditer(text):
        if not _apologises(text, m.start(), m.end()):
            yield "accusation", m.start(), m.end()
    for clause in _CLAUSE.finditer(text):
        lo, hi = clause.span()
        if not _READER.search(text, lo, hi) or _SYMPATHY.search(text, lo, hi):
            continue
        for m in _JUDGEMENT.finditer(text, lo, hi):
            if not _NOT_JUDGED.search(text[max(lo, m.start() - 25):m.start()]):
                yield "accusation", m.start(), m.end()


def _passive_aggression(text: str) -> Iterator[_Hit]:
    yield from _matches("passive_aggressive", _PASSIVE_AGGRESSIVE, text)
    for m in _REMINDER.finditer(text):
        rest = _SENTENCE_REST.match(text, m.end())
        end = rest.end() if rest else m.end()
        edge = _REMINDER_EDGE.search(text, m.end(), end)
        if edge and not _SOFTENER.search(text, m.end(), end):
            yield "passive_aggressive", m.start(), edge.end()


def _ultimatums(text: str) -> Iterator[_Hit]:
    yield from _matches("ultimatum", _ULTIMATUM, text)
    for m in _CONDITIONAL_THREAT.finditer(text):
        if m.group("next").lower() not in _BENIGN_NEXT:
            yield "ultimatum", m.start(), m.end()


def _candidates(text: str) -> Iterator[_Hit]:
    for start, end in _shouting(text):
        yield "shouting", start, end
    yield from _matches("repeated_punctuation", (_REPEATED_PUNCTUATION,), text)
    yield from _insults(text)
    yield from _matches("profanity", (_PROFANITY,), text)
    yield from _accusations(text)
    yield from _passive_aggression(text)
    yield from _ultimatums(text)
    yield from _matches("exasperation", _EXASPERATION, text)


def check(text: str) -> tuple[ToneFlag, ...]:
    """Every passage of `text` a calm reader would not send, in reading order.

    Overlapping hits of one rule are merged into the first (the longest, at equal start),
    so "you wasted my time" matched by two accusation patterns is shown once; different
    rules on the same words are all kept, as each tells the user something different.
    """
    kept: list[_Hit] = []
    reach: dict[str, int] = {}  # per rule, the furthest end kept so far
    # Sorted by start, longest first, then by rule name so the order never depends on
    # the per-process hashing of the set.
    prose = _prose(text)
    hits = sorted(set(_candidates(prose)), key=lambda h: (h[1], -h[2], h[0]))
    for rule, start, end in hits:
        # Sorted by start, so a hit overlaps an earlier one of its rule iff it starts
        # before the furthest end that rule has reached.
        if end > start and start >= reach.get(rule, 0):
            kept.append((rule, start, end))
            reach[rule] = end
    flags = [ToneFlag(rule, text[start:end], start, end, _why(rule, text[start:end]))
             for rule, start, end in kept]
    # A sentence no rule flagged is weighed cue by cue; one already flagged keeps its
    # precise warnings, so the review does not show the same complaint twice.
    starts = [start for _, start, _ in kept]
    i = 0
    for sentence in _SENTENCE.finditer(prose):
        lo, hi = sentence.span()
        while i < len(starts) and starts[i] < lo:
            i += 1
        if i < len(starts) and starts[i] < hi:
            continue
        found = _hostility(prose, lo, hi)
        if found:
            start, end, reasons = found
            words = text[start:end]
            shown = " ".join(words.split())
            flags.append(ToneFlag("hostile", words, start, end,
                                  f'{_WHY["hostile"]} ({reasons}): "{shown}"'))
    return tuple(sorted(flags, key=lambda f: f.start))


def summary(flags: Sequence[ToneFlag]) -> str:
    """A short explanation for the review screen: a headline, then one line per warning.

    Identical warnings ("!!" three times) are folded into one line with a count, so the
    list stays short enough to read before deciding.
    """
    if not flags:
        return "No tone warnings."
    order: list[str] = []
    counts: dict[str, int] = {}
    for flag in sorted(flags, key=lambda f: (f.start, f.end)):
        if flag.why not in counts:
            order.append(flag.why)
        counts[flag.why] = counts.get(flag.why, 0) + 1
    n = len(flags)
    head = f"{n} tone warning{'' if n == 1 else 's'}: a calm reader might not send this as it is."
    return "\n".join([head, *(f"  - {why}" + (f" (x{counts[why]})" if counts[why] > 1 else "")
                              for why in order)])

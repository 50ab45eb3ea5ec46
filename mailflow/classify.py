"""Message -> what it means for the job search: its kind and the facts it states.

This is the seam the poller calls (`understand`), plus a cheap header-only screen
(`worth_fetching`) that decides which bodies are worth downloading. Pure: the user's zone
and addresses are passed in, no clock, no I/O.

How a kind is decided (every step leaves a cue, which `describe` prints for `inspect`):

1. Facts that settle it outright: the user's own mail or RSVP -> other; an automatic reply
   (RFC 3834 headers, out-of-office wording) -> other with `auto_reply` and `back_on`.
2. Two weighted cue tables are summed over the subject, the new text (quoted history,
   forwarded headers and boilerplate like "to cancel or reschedule, click here" removed)
   and any calendar summary: JOB cues (interview, recruiter, phone screen, an ATS
   sender ...) and HARD-NEGATIVE cues (job alert, newsletter, podcast, dentist, webinar,
   application received, mock interview, hiring event, user research ...). When the
   negatives weigh at least as much as the job cues, the mail is `other`.
3. Then, in order: rejection wording; a cancellation (calendar CANCEL, or cancel words
   with no new time); a move (reschedule words, or an updated calendar invitation, with a
   new time); a concrete time with job context -> invite (several alternative slots with
   none chosen -> reply); job context without a time -> reply; else other.

4. For a `reply` only: `call_held` when the sender's new text looks back on the interview
   ("thanks for your time today", "great speaking with you", "following up on our call",
   German/French/Spanish equivalents), or promises a decision next to words that look back
   on it ("feedback from the interviewers ... we'll let you know by Friday"). Quoted mail,
   invites, rejections, automatic mail and the user's own mail never set it.

The weights are small integers in the tables below so that a reader can check a decision
by hand. Times, phones and promised dates come from `extract.py` and `invites.py`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mailflow import extract, zones
from mailflow.invites import CalendarEvent, parse_calendars
from mailflow.messages import FREEMAIL_DOMAINS, Message, organisation


class Kind(enum.StrEnum):
    INVITE = "invite"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    REPLY = "reply"
    REJECTION = "rejection"
    OTHER = "other"


@dataclass(frozen=True)
class Understanding:
    kind: Kind
    start: datetime | None = None
    end: datetime | None = None
    zone: str | None = None  # the IANA zone the time was written in, when known
    medium: str | None = None  # phone | video | onsite
    phone: str | None = None  # E.164: the number the call uses (to dial, or called from)
    callee_phone: str | None = None  # E.164: the candidate's own number they will be called at
    respond_by: date | None = None
    auto_reply: bool = False
    back_on: date | None = None
    evidence: str | None = None  # the words the time was read from, shown at review
    cues: tuple[str, ...] = field(default=())  # why this kind, for `inspect`
    company: str | None = None  # best guess, for drafts ("Acme")
    role: str | None = None  # best guess ("Senior Data Engineer")
    interviewer: tuple[str, ...] = ()  # names of the people the interview is with
    call_held: bool = False  # a reply that says the interview took place (see _call_held)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "zone": self.zone,
            "medium": self.medium,
            "phone": self.phone,
            "callee_phone": self.callee_phone,
            "respond_by": self.respond_by.isoformat() if self.respond_by else None,
            "auto_reply": self.auto_reply,
            "back_on": self.back_on.isoformat() if self.back_on else None,
            "evidence": self.evidence,
            "cues": list(self.cues),
            "company": self.company,
            "role": self.role,
            "interviewer": list(self.interviewer),
            "call_held": self.call_held,
        }


# ---------------------------------------------------------------------------------------
# The header screen
# ---------------------------------------------------------------------------------------

# A generous screen: a false "yes" costs one body download, a false "no" loses an invite.
_SCREEN_RE = re.compile(
    r"interview|phone|call|screen|schedul|recruit|hiring|candida|position|role|opportunit|"
    r"application|availability|meeting|invitation|invite|next steps|offer|follow|update|"
    r"talent|career|job|chat|connect|cancel|moved|reminder|confirm|event|appointment|"
    r"vorstellungs|gespräch|termin|bewerbung|entretien|candidature|rendez|entrevista|"
    r"candidatura|einladung|appel|llamada|reunión|convocatoria",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = ("bulk", "list", "junk")
_MAX_TEXT = 60_000


def worth_fetching(headers: Message, *, known_thread: bool) -> bool:
    """Whether the body of a message seen only by its headers should be downloaded.

    Yes for every message of a known thread, every calendar part, and every subject with
    a scheduling or recruiting word, unless the headers say it is bulk mail (a mailing
    list, Precedence: bulk) *and* the subject does not name an interview. Unknown or
    empty subjects from people are fetched too: recruiters write "Quick question" or
    "Re:" and a lost invite costs far more than a download.
    """
    if known_thread:
        return True
    h = headers.headers
    if "text/calendar" in h.get("content-type", "").lower():
        return True
    subject = headers.subject or ""
    bulk = bool(h.get("list-id") or h.get("list-unsubscribe")) or h.get(
        "precedence", "").strip().lower() in _BULK_PRECEDENCE
    if bulk:
        # A scheduling tool may add List-Unsubscribe; an interview subject still wins.
        return bool(re.search(r"interview|phone screen|schedul|invitation|gespräch|entretien|"
                              r"entrevista", subject, re.IGNORECASE))
    if _SCREEN_RE.search(subject):
        return True
    sender = headers.sender.email if headers.sender else ""
    if re.match(r"(?:no-?reply|noreply|newsletter|news|digest|marketing|promo|info)@", sender):
        return False
    # A person's mail with an unremarkable subject: cheap enough to read.
    return not subject or len(subject) < 60


# ---------------------------------------------------------------------------------------
# Cue tables
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    label: str
    weight: int
    pattern: re.Pattern[str]


def _cue(label: str, weight: int, pattern: str) -> Cue:
    return Cue(label, weight, re.compile(pattern, re.IGNORECASE))


JOB_CUES: tuple[Cue, ...] = (
    _cue("interview wording", 2,
         r"\binterview\w*|vorstellungsgespräch|bewerbungsgespräch|kennenlerngespräch|\bentrevue|"
         r"\b(?:zweit|erst|dritt|abschluss|auswahl|final)gespräch|"
         r"\bentretien|\bentrevista"),
    _cue("screening call", 3,
         r"phone screen|screening (?:call|interview)|recruiter (?:call|screen)|"
         r"intro(?:ductory)? call|technical (?:screen|round|interview)|hiring manager|"
         r"onsite (?:loop|interview)|panel interview|coding (?:round|exercise|interview)|"
         r"final round|next round|first round|second round|telefoninterview|"
         r"demo lesson|teaching demo|sample lesson|demo class|working interview|trade test|"
         r"skills test|\btrial shift|"
         r"entretien téléphonique|entrevista telefónica"),
    _cue("recruiting words", 1,
         r"\brecruit\w*|talent acquisition|talent team|people team|\bhiring\b|"
         r"\bcandidate|\bcandidacy|\bposition\b|\brole\b|\bopening\b|\bopportunit\w*|"
         r"\bapplication\b|\bapplied\b|\bresume\b|\brésumé|\bcv\b|\bbewerbung|\bstelle\b|"
         r"\bcandidature|\bposte\b|\bcandidatura|\bpuesto\b|\bvacante|\bprocess\b|"
         r"\bgespräch\b|\bvacancy|\bjob\b"),
    _cue("hiring process talk", 1,
         r"\bonsite\b|\bpanel\b|\bfeedback\b|hear (?:back )?from (?:us|me)|get back to you|"
         r"\bfinal round|\bnext round|\b(?:final|next|first|second|third) stage\b|"
         r"\bcase (?:exercise|study|presentation)\b|\bwe enjoyed (?:the|our) (?:conversation|chat|"
         r"call|meeting)\b|"
         r"\bdecision\b|\breferences\b|\bportfolio\b|"
         r"\btake-?home\b|\byour (?:background|experience|profile|resume|work)\b|"
         r"\bthe team (?:wants|would like|enjoyed|loved)|\bwants to meet you|"
         r"\brecruiter\b|\btalent\b|recrut\w*|reclut\w*|personalabteilung|personalwesen|"
         r"\bleitung personal\b|gehaltsvorstellung|salary expectations?|prétentions salariales|"
         r"pretensiones salariales|"
         r"recursos humanos|ressources humaines|director of engineering|engineering manager|"
         r"head of (?:engineering|product|talent|people|design|data)|\bCTO\b|\bfounder\b|"
         r"\bVP (?:of )?(?:eng\w*|product|design|data|sales|marketing|finance|operations)\b|"
         r"\bwould (?:love|like) to meet you\b|"
         r"tech(?:nical)? screen|\bscreen(?:ing)?\b|\bcoderpad\b|\bhackerrank\b"),
    # "Your interview for Sales Lead is today at 4:15 PM": addressed to the candidate.
    _cue("your interview", 3,
         r"\byour (?:[\w-]+ )?interview (?:for (?:the )?[\w ()&/-]{2,50}? (?:position |role )?is|"
         r"is (?:today|tomorrow|on|at|scheduled|confirmed|set|booked))\b|"
         # "Here are the details for your in-person interview", "invited you to a video
         # interview".
         r"\bdetails (?:for|of|about) your (?:[\w-]+ )?interview\b|"
         r"\b(?:invited you|invitation|invite you) (?:to|for) (?:an? |your )?(?:[\w-]+ ){0,2}"
         r"interview\b|\byour (?:[\w-]+ )?interview (?:details|confirmation|has been "
         r"(?:scheduled|confirmed|booked|arranged))\b|"
         r"\bihr(?:em)? (?:vorstellungsgespräch|interview) (?:am|bei|mit)\b|"
         r"\bvotre entretien (?:avec|le|du|pour)\b|\btu entrevista (?:con|el|para)\b"),
    _cue("scheduling talk", 1,
         r"\bavailability|\b(?:are you|you're|you are|be) (?:free|available)\b|"
         r"\bavailable (?:for|to) (?:a |an )?(?:call|chat|talk|speak|meet)|\bschedul\w*|"
         r"\breschedul\w*|\bnext steps?\b|\bchat\b|"
         r"\bspeak with you|\btalk with you|\btime slots?|\bverfügbar|\bdisponib\w*|"
         r"\bhorario"),
)
NEG_CUES: tuple[Cue, ...] = (
    _cue("job-alert digest", 5,
         r"job alert|jobs? (?:matching|for you|you may|picked for you)|new jobs? (?:for|in|"
         r"near|match)|recommended jobs|jobs? digest|top jobs|similar jobs|\d+ new jobs?|"
         r"jobs you might|stellenangebote für sie|offres d'emploi|ofertas de empleo|"
         r"\d+ neue (?:jobs|stellen\w*)|\bjob-?agent\b|\d+ nouvelles offres|\d+ nuevas ofertas|"
         # Job-board notices: "3 empresas han visto tu CV", "5 recruiters viewed your profile".
         r"\b(?:han|ha) visto tu cv\b|\bviewed your (?:profile|cv|resume)\b|"
         r"alerta de empleo|alerte (?:e|em)ploi|"
         r"\d+\+? new [\w ,/&-]{0,40}?jobs\b|easily apply|be an early applicant|"
         r"(?:actively|urgently) hiring|companies hiring (?:in|near|now|this week)|hiring multiple candidates|jobs? in [A-Z][a-z]+, [A-Z]{2}\b"),
    # "Unsubscribe from recruiting emails" is an ATS footer, not a publication's.
    _cue("newsletter", 3,
         r"newsletter|view (?:this (?:e-?mail|message) )?in (?:your |a |the )?browser|"
         r"manage (?:your )?(?:e-?mail )?(?:preferences|subscription)|weekly digest|"
         r"this week in|read more on our blog|you(?: are|'re|’re) receiving this|you received this "
         r"e-?mail because|\bunsubscribe\b(?! from (?:recruiting|candidate|job|talent|interview))|read (?:it |this issue )?online|\bissue #?\d+|"
         r"in this issue|this week'?s issue|\bsubscribers?\b|manage (?:your )?e-?mail settings|"
         r"forward(?:ed)? this (?:e-?mail|"
         r"newsletter) to|\bdigest\b"),
    # "be our guest on the show", not a calendar's "guest list" or a visitor's guest pass.
    _cue("podcast", 5, r"podcast|\bepisode\b|on the show|our show|"
         r"\b(?:our|a|as a|as our|special|featured|next) guest\b(?!\s+(?:list|wi-?fi|pass|"
         r"parking|badge|access|network))"),
    _cue("recording for an audience", 3,
         r"\bwe'?ll record\b|\brecording (?:session|link|studio)|\b(?:on|via|using) riverside\b|"
         r"zencastr|"
         r"squadcast|\b(?:will |to )?go(?:es)? live\b|\bair(?:s|ing)? (?:on|next)\b"),
    _cue("medical or personal appointment", 5,
         r"dental|dentist|orthodont|\bclinic\b|\bpatient|hygienist|\bdoctor\b|"
         r"physician|check-?up|teeth|pharmacy|prescription|veterinar|optometr|eye exam|"
         r"\bsalon\b|haircut|oil change|\bvehicle\b|zahnarzt|praxis|dentiste|médecin|"
         r"dentista|consulta médica|(?:your|teeth|dental) cleaning|"
         # School meetings about the user's children.
         r"parent-teacher|tutoría|tutora? de su hij|\bsu hij[oa]\b|your (?:son|daughter|child)"
         r"(?:'s)?\b|elternsprechtag|elterngespräch|réunion parents|votre enfant|\bvotre fils\b|"
         r"\bvotre fille\b"),
    _cue("webinar or event", 5,
         r"webinar|register (?:now|today|here|for free)|"
         # Not "arrive at 8:45am for registration and coffee" (an assessment day).
         r"registration (?:link|page|form|is (?:now )?open|closes|deadline|required|fee)|"
         r"free registration|live ?stream|\bsummit\b|"
         r"(?:thank you|thanks) for registering|you(?:'re| are) registered|"
         r"lightning talks?|\bnew event\b(?! date| time| has been)|\d+ (?:people|members|attendees) going|"
         r"masterclass|ask me anything|join us live|fireside chat|panel discussion|"
         r"save your seat|save the date|virtual event|info session|information session|"
         r"\bon stream|\b(?:live|studio|an|the|our|in the) audience\b|"
         # "Bring your Red Seal ticket": a trade certificate, not an event ticket.
         r"\b(?:buy|get|grab|book|free|event|early[- ]bird|vip|your) tickets\b|"
         r"\btickets? (?:are|go|on sale|available|now|still)\b|\b(?:buy|get|grab|book|claim) "
         r"(?:a |your )?ticket\b|youtube|\blive (?:panel|recording|q&a)|"
         r"\bspeakers?\b|program committee|call for (?:papers|proposals|speakers)|"
         r"\b(?:the|opening|closing) keynote\b|\bkeynote (?:speaker|address|talk|session)\b|\bconference (?:talk|session|program|schedule|agenda)|"
         r"\bmeetup\b(?!-)|join (?:us|our [\w ]{0,40}?) live\b|behind[- ]the[- ]scenes|"
         r"save your (?:spot|seat|place)|you're going\b|you are going to\b"),
    _cue("application received", 6,
         r"we(?:'ve| have)? (?:successfully )?received your application|"
         r"application (?:has been |was )?(?:successfully )?(?:received|submitted)|"
         r"successfully (?:applied|submitted)|your application (?:for|to) .{0,60} "
         r"(?:has been|was) (?:received|submitted)|eingang ihrer bewerbung|"
         r"bewerbung (?:ist )?(?:bei uns )?eingegangen|bestätigen wir den eingang|"
         r"candidature a bien été reçue|bien reçu votre candidature|"
         r"réception de votre candidature|accusé de réception|"
         r"hemos recibido (?:\w+ )?tu (?:candidatura|solicitud)|will review (?:it|your application)|"
         r"inscripción realizada|te has inscrito en la oferta|tu inscripción en la oferta|"
         r"eingangsbestätigung|(?:haben|wir haben) ihre unterlagen erhalten"),
    _cue("thanks for applying", 3,
         r"thank you for (?:your )?(?:applying|application|submitting)|thanks for applying|"
         r"thank you for your interest in|vielen dank für ihre bewerbung|"
         r"merci pour votre candidature|gracias por tu (?:candidatura|solicitud)"),
    # Strong: a booking for practice carries the candidate's own talk of real interviews
    # ("What role are you preparing for? Final round at a hedge fund").
    _cue("mock interview or coaching", 10,
         r"mock interview|practice interview|interview prep\w*|interview coaching|"
         r"career coach\w*|coaching session|resume review|interview practice|"
         r"interview workshop|interview tips|how to answer (?:them|it|these|this)|sample answers|"
         # Interview-prep events and courses: "Acing the Technical Interview: Live Workshop".
         r"\b(?:ace|acing|nail|nailing|crack|cracking|master|mastering) (?:the|your) "
         r"(?:[\w-]+ ){0,2}interviews?\b|"
         r"\binterviews?\b[:\w' -]{0,25}\b(?:workshop|bootcamp|masterclass|course|class)\b|\bmock (?:\w+ ){0,2}(?:interview|session|round|"
         r"call|screen)s?\b|\bcoach\s*:|(?:play|act as|pretend to be) the (?:hiring manager|"
         r"interviewer|recruiter)|probeinterview|entretien (?:blanc|fictif)|"
         r"simulacro de entrevista|entrevista simulada"),
    _cue("hiring event blast", 7,
         r"open interviews?|hiring event|\bwalk-?ins?\b|job fair|career fair|hiring day|"
         r"entrevistas abiertas|sin cita previa|jornada de empleo|journée de recrutement|"
         r"sans rendez-vous|job ?dating|bewerbertag|ohne (?:termin|voranmeldung)|"
         r"open house|no appointment (?:necessary|needed|required)|on-the-spot|"
         r"hiring blitz|recruiting event|job expo|hiring night|career (?:night|expo|day)|"
         r"recruiting night|(?:companies|employers) (?:are|will be) hiring|"
         r"meet (?:the |\w+ )?(?:hiring )?(?:companies|employers)"),
    _cue("reviews or community content", 5,
         r"interview (?:reviews|experiences|questions (?:for|from|asked))|"
         r"(?:company|salary) reviews|companies you follow|read more reviews|"
         r"(?:new|latest) (?:reviews|posts|answers|discussions) (?:for|about|in)"),
    _cue("user research", 5,
         r"user research|research study|usability|\bparticipants?\b|gift card|incentive|"
         r"focus group|\bsurvey\b|"
         # "walk us through a feeder study you've done" is work, not a study to join.
         r"\b(?:a|our|this|the|paid|research|user|online|remote|short) study\b(?! you)"),
    _cue("candidate survey", 4,
         r"\b(?:take|complete|fill out|fill in) (?:the|our|a|this) (?:short |quick |brief |"
         r"\d-minute )?survey|\bcandidate experience\b|\bsurvey takes\b|(?:answers|feedback|"
         r"responses) (?:are|will be|is) (?:completely )?anonymous"),
    _cue("press or media", 5,
         r"journalist|\b(?:a|the|our|as a) reporter\b|\breporter (?:at|for|from|with)\b|for (?:an|our) article|press inquiry|media interview|"
         r"magazine|for our story|our readers|publication|"
         r"interview with (?:the )?(?:creator|founder|co-?founder|author|maintainer|inventor|"
         r"ceo|cto|designer|team behind|people behind|makers?|host)s? (?:of|behind)\b|"
         r"\b(?:interview|full|podcast|episode|the) transcript\b|\btranscript of (?:the|our)\b|(?:read|watch|listen to) the (?:full )?interview|full interview"),
    _cue("software notification", 5,
         r"view it on (?:github|gitlab)|reply to this email directly|requested your review|"
         r"\bpull request\b|\bmerge request\b|opened (?:an|this) issue|commented on|"
         r"you are subscribed to this thread|^\s*\[[\w.-]+/[\w.-]+\]"),
    # A friend forwarding their own invitation: "I got the interview! Wish me luck".
    _cue("someone else's interview", 8,
         r"\bwish me luck\b|\bI(?:'ve| have)? (?:got|landed|scored|have) (?:an|the|my|a second|"
         r"a final) interview\b|\bmy (?:first |second |final )?interview (?:is|with|at|on)\b|"
         r"\bfingers crossed for me\b|\bdrück mir die daumen\b|\bsouhaite-moi bonne chance\b|"
         r"\bdeséame suerte\b"),
    # Flat hunting: "Viewing confirmed: 88 Bathurst St #1204".
    _cue("property viewing", 6,
         r"\b(?:your|a|the|flat|apartment|property) viewing\b|\bviewing (?:is )?confirmed|"
         r"\bapartment\b|\bleasing (?:team|office|agent)|\$[\d,]+ ?/ ?mo\b|\bbed \+ den\b|"
         r"\brental application|wohnungsbesichtigung|\bbesichtigungstermin|\bwg-casting|"
         r"visite (?:de l'appartement|du logement|de l'appart)|\bvisita (?:del piso|al piso)"),
    # Immigration: "Your consular interview appointment has been scheduled".
    _cue("visa or immigration", 7,
         r"\bconsular\b|\bconsulate\b|\bembassy\b|\bvisa (?:interview|appointment|category|"
         r"application|type)|\bimmigration (?:interview|appointment)|\bbiometrics? "
         r"appointment|\bpassport no\b"),
    # An automated online test: "has invited you to take the ... coding assessment".
    _cue("online assessment", 5,
         r"\binvited you to take\b|\bstart (?:the |your )?test\b|\btake the test\b|"
         r"\bproctor(?:ing|ed)\b|\btimer cannot be paused\b|\bsample test\b"),
    # A civil-service exam: "Admission Notice - Exam No. 6034 (Multiple-Choice Test)".
    _cue("written exam", 5,
         r"\badmission notice|\bwritten (?:test|exam)\b|\bmultiple[- ]choice|"
         r"\btest(?:ing)? (?:center|centre|site|room)\b|\bexam(?:ination)? (?:no\.|number)"),
    # The user asked for a reference about someone else.
    _cue("a reference for someone else", 8,
         r"\b(?:named|listed|given|put (?:down|forward)) you as (?:a |their |his |her )?"
         r"(?:referee|reference)\b|\bprovide (?:a )?reference for\b|\bas (?:a |her |his |"
         r"their )?referee\b|\breference (?:request|check) (?:for|on|regarding|re:?) (?-i:[A-Z])"),
    # Account administration: "Verify your candidate account", "reset your password".
    _cue("account administration", 6,
         r"\bverify your (?:e-?mail|account|candidate account|e-?mail address)|"
         r"\b(?:creating|created|create) (?:a|your) (?:candidate )?account\b|"
         r"\breset your password|\bactivate your (?:candidate )?account|"
         r"\bconfirm your e-?mail address"),
    # After the offer: inductions, orientations, drug screens are not interviews.
    _cue("onboarding", 4,
         r"\b(?:site |safety |company )?induction\b|\borientation (?:session|day|is|will)|"
         r"\bnew[- ]hire orientation|\bdrug (?:screen|test)(?:ing)? (?:is|appointment|at)\b|"
         r"\bfirst day (?:on site|at work|with us)|\btoolbox talk|\bonboarding (?:session|day)"),
    _cue("sales or marketing", 3,
         r"\bdemo\b(?! lesson| class)|free trial|\bdiscount|\bpromo|\bsale\b|% off|limited time|"
         r"upgrade your|subscription|\bpremium\b"),
)
_PAST_EVENT_RE = re.compile(
    r"\b(?:met|meeting|chatting|chatted|talking|talked|spoke|speaking|connecting)(?: with "
    r"(?:me|us|you))? at (?:the |our )?[\w' -]{0,40}?(?:job fair|career fair|hiring event|"
    r"open house|career day|meetup|conference)", re.IGNORECASE)
# "If your background matches our needs, next steps may include a phone screen": an
# application receipt's what-if, not an interview being arranged.
_CONDITIONAL_RE = re.compile(
    r"(?:^|(?<=[.!?]))[^.!?\n]*(?:\bif (?:your|you are|you're) (?:background|experience|"
    r"profile|qualifications|skills|application)|\bif (?:you are |you're )?(?:selected|"
    r"shortlisted)\b|\bshould you be (?:selected|shortlisted)|\bwhich may include\b|"
    r"\bsollte ihr profil\b|\bfalls ihr profil\b|\bsi votre profil\b|\bsi tu perfil\b|"
    # "If you haven't heard from us within four weeks, please consider ...": a receipt's
    # what-if, not a rejection.
    r"\bif you (?:have not|haven't|do not|don't) hear(?:d)? (?:back )?from us|"
    r"\bsans (?:retour|réponse) de notre part|\bsi no (?:recibes|recibe) (?:respuesta|noticias)|"
    r"\bfalls sie (?:innerhalb|bis) .{0,40}(?:nichts|keine (?:rückmeldung|nachricht)))"
    r"[^.!?\n]*[.!?]?", re.IGNORECASE | re.MULTILINE)
_EMPLOYMENT_OFFICE_RE = re.compile(
    r"\bfrance travail\b|\bp[ôo]le emploi\b|\bjobcentre\b|\bjobcenter\b|"
    r"\bagentur für arbeit\b|\barbeitsagentur\b|\bcentrelink\b|\bwork coach\b|"
    r"\bunemployment (?:office|benefits?|insurance)\b|\boficina de empleo\b|\bsepe\b",
    re.IGNORECASE)
_SOCIAL_RE = re.compile(
    r"\b(?:dinner|drinks|brunch|bbq|barbecue|birthday|a pint|pub quiz|movie night)\b|"
    r"\bgrab (?:a )?(?:coffee|bite|lunch)\b|\bcatch up\b",
    re.IGNORECASE)
_SCREENING_VENDOR_RE = re.compile(
    r"\bbackground (?:check|screening)\b|\bdrug (?:screen|test)|\bright[- ]to[- ]work check|"
    r"\bemployment verification\b", re.IGNORECASE)
_EXAM_CUE = next(c for c in NEG_CUES if c.label == "written exam")
_GROUP_GREETING_RE = re.compile(r"^\s*(?:hi|hello|hey|dear) (?:all|everyone|team|folks)\b",
                                re.IGNORECASE | re.MULTILINE)
_INTERVIEW_LABEL_RE = re.compile(r"\binterview (?:date|time|schedule|venue)\s*:", re.IGNORECASE)
_NEWSLETTER_CUE = next(c for c in NEG_CUES if c.label == "newsletter")
_MEDICAL_CUE = next(c for c in NEG_CUES if c.label == "medical or personal appointment")
_ACKNOWLEDGEMENT_CUES = tuple(c for c in NEG_CUES
                              if c.label in ("application received", "thanks for applying"))
# Words that name a job interview outright, whatever else the mail mentions.
_HIRING_CONTEXT_RE = re.compile(
    r"\b(?:phone|telephone|video|virtual) interview|\bhiring (?:team|manager)", re.IGNORECASE)
# Publishing platforms: what they send is a publication, whatever its words.
_NEWSLETTER_DOMAINS = ("substack.com", "beehiiv.com", "mailchimpapp.com", "mcsv.net",
                       "convertkit.com", "ck.page", "buttondown.email", "ghost.io",
                       "medium.com", "mailerlite.com", "sendfox.com", "revue.email",
                       "glassdoor.com")
_MASKING_CUES = tuple(c for c in NEG_CUES if c.label in (
    "mock interview or coaching", "reviews or community content"))
_ATS_DOMAINS = (
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "hire.lever.co", "ashbyhq.com",
    "myworkday.com", "workday.com", "goodtime.io", "icims.com", "smartrecruiters.com",
    "jobvite.com", "workable.com", "bamboohr.com", "recruitee.com", "teamtailor.com",
    "personio.de", "personio.com", "successfactors.com", "taleo.net", "breezy.hr",
    "jazzhr.com", "rippling.com", "gem.com", "modernloop.io",
)
_REJECT_RE = re.compile(
    r"decided (?:not )?to (?:move|proceed|go) forward with (?:other|another|a different)|"
    r"(?:move|moving|proceed|proceeding|go|going) forward with (?:other|another|a different) "
    r"(?:candidate|applicant|direction)|pursue other candidates|"
    r"not (?:be )?(?:moving|going|proceeding) (?:forward )?with your (?:application|candidacy)|"
    r"will not be (?:moving|proceeding|progressing|advancing)|"
    r"not (?:to )?(?:move|proceed|advance|progress) (?:forward )?with your|"
    r"(?:position|role) has (?:now )?been filled|(?:have )?filled the (?:position|role)|"
    r"unable to offer you|not (?:been )?selected|regret to (?:inform|let you know)|"
    r"decided to go (?:with|in) (?:another|a different)|whose (?:background|experience|"
    r"skills|qualifications|profiles?) (?:\w+ )?more closely|"
    # Non-native English: "we have decided for another candidate" (German "entschieden für").
    r"(?:decided|chosen|opted) (?:for|on) (?:another|a different|an other|one other) "
    r"(?:candidate|applicant|person|profile)|more closely (?:match|align)|"
    r"not (?:the right|a) (?:fit|match) (?:for|at)|won't be moving forward|"
    r"\b(?:going to|decided to|have to|will|'ll) pass(?: for now| on (?:your (?:candidacy|"
    r"application|profile)|moving forward|this one))?(?=\s*[.;,!]| this time| at this)|"
    r"will not be moving forward|not be progressing|decline your application|"
    r"extend(?:ed|ing)? (?:an|the) offer to (?:another|a different|a|the other) candidate|"
    r"(?:a )?(?:closer|better|stronger) (?:match|fit|alignment)|"
    r"(?:selected|chosen|hired|gone with) (?:another|a different|an(?:other)? internal) "
    r"candidate|decided to hire|not (?:be )?progressing your|"
    r"(?:won't|will not|wouldn't|not) (?:be )?(?:progressing|taking forward|moving) (?:you|your)"
    r"(?: application| candidacy)? (?:forward|further|to the next)|"
    r"(?:move|moving|go|going|proceed|proceeding) (?:ahead|forward) with (?:other |another |"
    r"a different )?(?:candidates?|applicants?|profiles?) (?:whose|who|that)|"
    r"(?:match(?:es|ed)?|aligns?|fits?|aligned) more closely|"
    r"(?:offered|extended|made) (?:the|this|an) (?:role|position|job|offer) to (?:another|"
    r"a different|an(?:other)? internal|someone else|the other|"
    # "we've offered the role to a candidate with more community-care experience"
    r"an? (?:[\w-]+ )?(?:candidate|applicant|person) (?:with|who|whose))|"
    r"(?:we|I) (?:have |'ve )?(?:decided|chosen|opted) (?:to go|to move forward|to proceed) "
    r"with someone else|"
    r"leider.{0,120}(?:absage\b|nicht berücksichtig|anderen (?:kandidat|bewerber)|"
    r"nicht (?:weiter|fortsetzen|in die engere)|entschieden)|"
    r"pas (?:\w+ ){0,3}donner (?:une )?suite|pas été retenue?|"
    r"ne pas donner suite|n'avons pas retenu|\bne donner\w* pas suite\b|"
    r"\bsommes au regret de vous (?:informer|annoncer)|"
    r"lamentablemente.{0,120}(?:otros candidatos|no (?:continuar|seguir|avanzar))|"
    r"no ha sido seleccionad|hemos decidido (?:continuar|seguir)(?: \w+){0,3} con otr|"
    r"\bno (?:vamos a |podemos )?(?:continuar|seguir adelante) con (?:tu|su) candidatura|"
    r"(?:decided|chosen|opted|going) to (?:go|move forward|proceed) with (?:someone|a candidate|"
    r"another person|an applicant) (?:else|with|who|whose)\b|"
    r"(?:offer|offered|extend|extended|give|gave|giving|offering|extending)(?: the| this)? "
    r"[\w -]{0,40}?(?:role|position|"
    r"job|offer|post) to (?:another|a different|someone|an(?:other)? internal|the other)|"
    r"für (?:eine|einen) (?:andere[nr]?|weitere[nr]?) (?:kandidat\w*|bewerber\w*|person)\b"
    r".{0,40}?entschieden|keine positivere nachricht|"
    r"\bmit (?:einer|einem) anderen (?:kandidat\w*|bewerber\w*)\b.{0,40}?\b(?:fortzusetzen|"
    r"fortsetzen|weiterzugehen|weitergehen)|"
    r"\bgo(?:ing)? (?:in )?(?:another|a different) direction|"
    r"\bno longer (?:under consideration|being considered|in consideration)\b|"
    r"\b(?:have|has|were|was) not been (?:recommended|shortlisted|successful|placed in the "
    r"merit pool)\b|\b(?:you|your application) (?:were|was|have been|has been) unsuccessful\b|"
    r"\b(?:gone|went) with (?:someone|another (?:candidate|applicant|person)|an? (?:internal |"
    r"external )?(?:candidate|applicant))\b|"
    r"not (?:to )?(?:progress|advance|take forward|proceed with|move forward with|put forward) "
    r"(?:your|with your) (?:application|candidacy|profile|cv)",
    re.IGNORECASE | re.DOTALL,
)
_CANCEL_RE = re.compile(
    r"\bcancel(?:l?ed|l?ing|lation|s)?\b|\bcall(?:ing|ed)? off\b|\bon hold\b|"
    r"no longer (?:be )?(?:able|need|going|able to proceed|moving ahead)|"
    r"won't be able to (?:meet|make|speak|talk)|not (?:be )?able to (?:meet|make it)|"
    r"(?:won't|will not|cannot|can't|can ?not|unable to|not) (?:be able to )?(?:go ahead|"
    r"proceed|move ahead|continue|hold) (?:with )?(?:your|the|our|this|tomorrow's|\w+day's) "
    r"(?:interview|call|meeting|conversation|chat|onsite)|hiring freeze|frozen (?:all )?hiring|"
    r"\bpull(?:ed|ing)? (?:the |our |your |\w+day's |tomorrow's |today's )?(?:interview|call|"
    r"meeting|onsite)|\bpaused (?:all |the |their )?(?:hiring|recruit\w*|role|position|search|"
    r"process)|\bput (?:the |this |all )?(?:role|position|search|process|hiring) on (?:hold|pause)|"
    r"\bscrap(?:ped|ping)? (?:the |our |your |tomorrow's |today's |tonight's |\w+day's )?"
    r"(?:\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]m )?)?(?:interview|call|chat|meeting|screen)\b|"
    r"\babsagen\b|\babgesagt\b|\bstorniert\b|\bentfällt\b|\bfällt .{0,20}aus\b|"
    r"\bnicht (?:wie (?:vorgesehen|geplant) )?stattfinden\b|\bfindet nicht statt\b|"
    r"\bannul\w*|\bcancelad[oa]\b|\bcancelar\b|\bsuspendid[oa]\b|"
    r"\banul(?:ar|ada|ado|amos|ación)\b|\ben suspenso\b",
    re.IGNORECASE,
)
_RESCHEDULE_RE = re.compile(
    r"\breschedul\w*|\bre-schedul\w*|\bmov(?:e|ed|ing)\b (?:our|the|your|it|this|that|"
    r"today|tomorrow)\b|\bhas been moved|\bbe moved|\bpush(?:ed|ing)? (?:back|our|the|your|it)|"
    # "We will contact you to arrange a new time": an indefinite new time is not yet one.
    r"(?<!\ba )\bnew (?:date|time|slot)\b|updated invitation|invitation updated|event updated|"
    r"^updated:|\btime change|\bchanged? (?:the time|to)\b|has been changed|change of time|"
    # Non-native English: "we must change the hour of your interview", "the new hour is".
    r"\bchange (?:the |of )(?:the )?(?:hour|date|day)\b|\bnew (?:hour|day)\b|"
    # Nouns are not moves: "send your slides to me", "a shift to nights".
    r"\bpostpon\w*|(?<!your )(?<!the )(?<!my )(?<!our )(?<!a )(?<!an )(?<!these )"
    r"(?<!clocks )(?<!clock )\b(?:push|move|shift|bump|slide|switch|swap)(?:ed|ing|es|s)?\b"
    # Clock-change notes: "the UK moves to British Summer Time on 29 March".
    r"(?!\s+to (?:british summer time|summer time|winter time|daylight|standard time|BST|GMT|"
    r"CEST|CET|EDT|EST)\b)"
    r"(?!\s+(?:you|your application|your candidacy|forward|ahead|on|quickly|fast)\b)"
    r"(?!\s+(?:(?:its|their|our|the|your) )?clocks?\b)"  # "the US has moved its clocks forward"
    r"(?!\s+(?:on )?to (?:the |a )?(?:next|final|second|third|last|offer|onsite)\b)[^.?!\n]{0,50}"
    r"\b(?:to|back|out(?! of)|later|earlier)\b|"
    r"\binstead of (?:the |our |your )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    # "I've moved you to Monday 16 March at 3:30pm" (not "move you forward").
    r"\bmov(?:e|ed|ing) you (?:over )?to (?:(?:the )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"a (?:new|later|earlier)|\d)|"
    # "now tomorrow at 3.30pm instead of 2pm", "we've had to shuffle things around".
    # ("if that time doesn't work I'll shuffle it" offers, it does not move).
    r"\binstead of (?:the )?\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\b|h\b|uhr\b)|"
    r"\b(?:had|have|needed|need) to shuffle\b|\bshuffled\b|"
    r"\bbrought (?:forward|back)\b|\bmoved (?:forward|up) to\b|"
    r"^(?:mis à jour|aktualisiert|actualizad[oa])\s*:|"
    # "we'll need to shift tomorrow's chat ... Can we do 15:00 Tuesday instead?"
    r"\b(?:shift|move|push|bump|switch|change)(?:ed|ing|s)? (?:today's|tomorrow's|tonight's|"
    r"\w+day's|our|the|your) (?:[\w-]+ )?(?:call|chat|interview|meeting|conversation|screen)\b|"
    r"\b(?:can|could|would) (?:we|you) (?:do|try|make it|make)\b[^.?!\n]{0,60}\binstead\b|"
    r"\b(?:would|could|might) (?:work|suit|do)(?: for you)? instead\b|"
    r"neuer termin|verschieb\w*|verschoben|verlegt|nouvel horaire|report(?:é|er|ons)|"
    # "no podemos proponerte una nueva fecha": an indefinite new date is not yet one.
    r"déplac\w*|décal\w*|reprogram\w*|cambio de (?:hora|fecha)|(?<!\buna )nueva (?:hora|fecha)|"
    r"cambiar",
    re.IGNORECASE | re.MULTILINE,
)
# Sentences every scheduling tool prints: they are not news about this interview.
_BOILERPLATE_RE = re.compile(
    # Anchored at a sentence start: an unanchored leading [^.!?]* is quadratic on long
    # unpunctuated text (binary parts decoded as text).
    r"(?:^|(?<=[.!?]))[^.!?\n]*(?:(?:if|should|in case) you [^.!?\n]{0,40}?(?:need|want|wish) to "
    r"(?:cancel|reschedule|change|make changes|modify)|"
    r"(?:if|should|in case) you (?:ever )?(?:need|have|want|are unable|can'?t|"
    r"cannot|must|wish)(?: to)? (?:cancel|reschedule|change|make changes|modify)|"
    r"\b(?:click|use|visit|follow|via|using) [^.!?\n]{0,40}(?:cancel|reschedul)|"
    r"cancel (?:or|and|/) reschedule|reschedule (?:or|and|/) cancel|"
    r"(?:need|want) to (?:cancel|reschedule|make changes)\?|need a different (?:time|date)\?|"
    r"need to change (?:something|anything|(?:the|your) (?:time|date|booking|interview))\?"
    r"[^.!?\n]*|"
    r"(?:request|ask) (?:to|a|for a) (?:reschedule|new time|different time)|"
    r"invitation from google calendar|forwarding this invitation|"
    # A tool's link ("Learn more about Google Meet"), not "to learn more about your background".
    r"learn more about (?:google|meet|zoom|teams|microsoft|calendar|this event|invitations|"
    r"webex|calendly)|"
    r"you are receiving this|manage your (?:booking|event)|"
    r"(?:reply|text|respond)(?: with)? \w{1,3} to (?:confirm|cancel|reschedule)|"
    # Policies and self-service: "Applicants who fail to appear will not be rescheduled",
    # "it may not be possible to re-schedule", "you can reschedule here", "text RESCHEDULE".
    r"(?:will not|won't|cannot|can't|may not|unable to|not be (?:able|possible) to|do not|"
    r"don't)\b"
    r"[^.!?\n]{0,20}?re-?schedul|you (?:can|may|could) (?:always |also )?(?:cancel|re-?schedul)|"
    r"\b(?:text|reply|respond|send)(?: with)? [\"'“]?(?:reschedule|cancel)\b|"
    r"vous pouvez (?:\w+ ){0,2}(?:replanifier|annuler|modifier|reporter|déplacer)|"
    r"(?:sie können|du kannst|kannst du) (?:\w+ ){0,3}(?:verschieben|absagen|stornieren)|"
    r"puedes (?:\w+ ){0,2}(?:reprogramar|cancelar|cambiar)|"
    r"falls sie (?:den termin )?(?:absagen|verschieben)|si vous (?:devez|souhaitez) "
    r"(?:annuler|reporter|modifier)|si necesitas (?:cancelar|reprogramar|cambiar)"
    r")[^.!?\n]*[.!?]?|"
    # A line of link labels: "Cancel | Reschedule", "View event · Reschedule · Cancel".
    # Each item ends at a word boundary, so a line has one parse (no backtracking blow-up).
    r"^[ \t]*(?:(?:(?:view|edit|change|manage|add to|cancel|reschedule|event|invitation|"
    r"booking|calendar|in|google|outlook|ical|apple|or)\b|[|·•/-])[ \t]*){2,}$|"
    r"^[ \t]*(?:reschedule|cancel)(?: (?:interview|meeting|event|booking))?[ \t]*$|"
    r"^\s*(?:to )?(?:cancel|reschedule|change|modify|(?:suggest|propose|request) (?:a )?"
    r"(?:new|different) time|annuler|reprogrammer|replanifier|modifier|absagen|verschieben|"
    r"stornieren|cancelar|reprogramar)\w*\s*"
    r"(?:your (?:event|booking|interview)\s*)?(?::|\(|<|https?://).*$",
    re.IGNORECASE | re.MULTILINE,
)
_OOO_SUBJECT_RE = re.compile(
    r"out of (?:the )?office|\booo\b|automatic reply|auto(?:matic)?[- ]?reply|autoreply|"
    r"abwesenheit|nicht im büro|réponse automatique|absence du bureau|absent\b|"
    r"respuesta automática|fuera de la oficina|away from (?:the )?office|on vacation|"
    r"on leave|on holiday",
    re.IGNORECASE,
)
_OOO_BODY_RE = re.compile(
    r"\bI(?:'m| am| will be|’m)? (?:currently |now )?(?:out of (?:the )?office|away from "
    r"(?:the office|my desk|email)|on (?:annual |parental |maternity |paternity |sick )?"
    r"(?:leave|vacation|holiday|pto)|travell?ing (?:with|and) (?:limited|no)|"
    r"out (?:on|until|through|of office))|limited access to (?:my )?e-?mail|"
    r"this is an automatic(?:ally generated)? (?:reply|response)|"
    r"ich bin (?:derzeit |bis .{0,30})?(?:nicht im büro|abwesend|im urlaub)|"
    r"je suis (?:actuellement )?absente?|je serai absente?|"
    r"(?:estoy|estaré) (?:fuera de la oficina|de vacaciones|ausente)",
    re.IGNORECASE,
)
# Any top-level domain: test and sample mail write "zoom.example/j/..." for "zoom.us".
_VIDEO_LINK_RE = re.compile(
    r"zoom\.\w+/(?:j|my|w)/|zoom\.\w+/meeting|teams\.microsoft\.\w+/l/meetup|"
    r"teams\.live\.\w+/meet|meet\.google\.\w+/|\.webex\.\w+/|whereby\.\w+/|bluejeans\.\w+/|"
    r"chime\.aws/|gotomeeting\.\w+/|meet\.jit\.si/|hangouts\.google",
    re.IGNORECASE,
)
_VIDEO_WORDS_RE = re.compile(
    r"video (?:call|interview|chat|conference|meeting)|via zoom|on zoom|over zoom|zoom (?:call|"
    r"meeting|link|interview)|microsoft teams|teams (?:call|meeting|link)|google meet|"
    r"\bwebex\b|videocall|video-?gespräch|videoanruf|videokonferenz|visio(?:conférence)?|"
    r"videollamada|videoconferencia|hangout|\bteams (?:invite|link|call|meeting)|"
    r"\bzoom\b|\bvideo\b",
    re.IGNORECASE,
)
_PHONE_STRONG_RE = re.compile(
    r"(?:will|'ll|going to|be|shall) (?:(?:call|ring|phone) (?:you|u)\b|"
    r"give you a (?:call|ring|buzz|bell)\b)|\bgive (?:me|us) a (?:ring|call|buzz|bell) (?:on|at)\b|"
    r"\bring me (?:on|at)\b|"
    r"call you (?:at|on)\b|reach you (?:at|on)\b|\bdial (?:\+|\(|\d|in to|into|the number)|"
    r"please call (?:me|us)|call (?:me|us) (?:at|on)|please (?:call|dial|ring) \w+ (?:\w+ )?(?:at|on)\b|ruf\w* (?:sie|dich) .{0,30}an|"
    r"vous appellera|vous appeler|te llamar|le llamar|llamaremos",
    re.IGNORECASE,
)
_PHONE_WORDS_RE = re.compile(
    r"phone (?:screen|interview|call|conversation|chat)|by phone|over the phone|telephone|"
    r"\bphone\b|\bcall\b|telefon\w*|téléphon\w*|telef[oó]nic\w*|llamada",
    re.IGNORECASE,
)
# Said in words: the interview happens at a place.
_ONSITE_RE = re.compile(
    r"on-?site|on site|on-campus|in[- ]person|"
    # ("He's based in our Sydney office" says where the interviewer sits.)
    r"(?<!based )(?:at|in) (?:our|the|their) (?:[A-Z][\w-]+ ){0,2}(?:office|offices|hq|headquarters|campus|"
    r"studio)\b|"
    r"visit (?:us|our)|(?:our|the) office(?:s)? (?:at|in|on)|front desk|reception desk|"
    r"(?:at|to) (?:the )?reception\b|check in (?:at|with)|sign in at|\blobby\b|vor ort|"
    r"in unserem büro|in unseren räumen|dans nos locaux|en nuestras oficinas|presencial|"
    r"\bbring (?:a |your )?(?:photo |government-issued )?id\b|\binterview (?:suite|room)\b|"
    r"\bsame (?:place|location|venue|address|site)\b|\bmain reception\b|"
    r"\bentrevista (?:personal|presencial)|\ben nuestras instalaciones|\bmismo lugar\b|"
    r"\bdans nos bureaux|\ben présentiel|\bpersönliche[ns]? (?:gespräch|kennenlernen)|"
    r"\bplease arrive (?:\d+|a few|ten|fifteen|twenty) (?:minutes|mins) (?:early|before|prior)\b"
    # "come by the yard this sat at 7am": the workplace named as where to come.
    r"|\bcome (?:by|down to|in to|into|over to|out to|to) (?:the|our) (?:yard|shop|office|"
    r"site|store|plant|warehouse|depot|restaurant|kitchen|branch|studio|salon|garage|"
    r"workshop|mill|farm|ranch|hotel|bar)\b|"
    r"\b(?:at|to) (?:the|our) (?:[A-Z][\w-]+ )?(?:yard|plant|warehouse|depot|jobsite|job site|"
    r"site office|shop floor)\b",
    re.IGNORECASE,
)
# A street address or a floor: onsite when nothing says video, since footers and letterheads
# carry addresses too.
_ADDRESS_RE = re.compile(
    r"\baddress\s*:|\bsuite \d|\bort bleibt\b|\braum [a-z]?\.?\d|\bgebäude\b|\broom \d|"
    r"\b\d+(?:st|nd|rd|th) floor\b|\bfloor \d|\bparking\b|"
    r"\bort\s*:|\betage\b|\b\d{1,2}\. (?:stock|og|obergeschoss)\b|\bder ort\b|\bétage\b|empfang|\baccueil\b|\bstraße \d|\bstr\. \d|\brue\b|\bcalle\b|"
    r"(?-i:(?<![\d:.])\b\d{1,5} [A-Z][\w.]*(?: (?:[A-Z][\w.]*|\d+(?:st|nd|rd|th)))* "
    r"(?:St|Street|Rd|Road|Ave|Avenue|"
    r"Blvd|Way|Dr|Drive|Lane|Ln|Pl|Place|Sq|Square|Pkwy|Parkway|Ct|Court)\b(?!\.? [A-Z][a-z]))",
    re.IGNORECASE,
)
_FIRM_INVITE_RE = re.compile(
    r"would you be able|are you (?:free|available)|does .{0,30} work|would .{0,30} work|"
    r"can you (?:do|make)|how about|come in|appel|échange|téléphon|visio|rufe|anruf|telefon|"
    r"llam|reunión|confirm|schedul|invit|booked|reminder|calendar|set up|look(?:ing)? forward|"
    r"speak|talk|meet|chat|call|interview|session|join|einladung|bestätig|termin|zoom|teams|"
    r"video|phone|"
    r"convocatoria|rendez-vous|entretien|entrevista",
    re.IGNORECASE,
)
_CALL_AT_TIME_RE = re.compile(
    r"\b(?:call|phone|video|zoom|teams|google meet|interview|screen|chat|speak|talk (?:to|with)|"
    r"come (?:by|in|over|down)|stop by|drop by|swing by|pop in|"
    r"conversation|anruf\w*|rufe\w*|telefon\w*|gespräch|appel\w*|téléphon\w*|échange|"
    r"entretien|visio\w*|llam\w*|entrevista|reunión|videollamada)\b",
    re.IGNORECASE)
_CONFIRMS_QUOTED_RE = re.compile(
    r"\b(?:confirmed|confirming|works (?:for|great|perfectly)|that works|sounds good|"
    r"see you then|talk (?:to you )?then|booked|locked in|all set)\b|"
    # "Perfect!", "Great, thanks": the word alone answers; "great speaking with you" does not.
    # Only opening a sentence: "the wayfinding project is great" confirms nothing.
    r"(?:^|[.!?]\s+)\s*(?:perfect|great)\b(?!\s+(?:speaking|talking|chatting|meeting|to|news|"
    r"question|conversation|call|chat)\b)",
    re.IGNORECASE | re.MULTILINE,
)
# "The call happened": the sender looks back on a conversation with the candidate. Only the
# sender's new text is read (the candidate's own "thank you for your time today", quoted
# below, is not evidence), and only for a `reply`: an invite, a rejection or an automatic
# mail never sets it. Precision first: the poller turns it into "the thank-you note is due".
_PAST_WHEN = (r"(?:today|yesterday|this (?:morning|afternoon|evening)|earlier(?: today| this "
              r"week)?|just now|last (?:week|night|\w+day)|on (?:mon|tues|wednes|thurs|fri|satur|"
              r"sun)day)")
_MET = r"(?:speaking|talking|chatting|meeting|connecting|catching up|getting to know you)"
_HELD_RE = re.compile(
    # English: thanks / pleasure / enjoyed, looking back.
    rf"\bthanks?(?: you)?(?: (?:so|very) much)?(?: again)?,? (?:[\w,'’]+ ){{0,8}}?for (?:your|the) "
    rf"time (?:\w+ ){{0,3}}?{_PAST_WHEN}\b|"
    rf"\bthanks?(?: you)?(?: (?:so|very) much)?(?: again)? for (?:the|our|today's|yesterday's) "
    rf"(?:great |good |lovely |nice |insightful |productive |quick |brief |short |helpful |"
    rf"informative |interesting |wonderful |fun )?(?:call|chat|conversation|"
    rf"interview|discussion|talk|meeting)\b(?! (?:on|at|tomorrow|next)\b)|"
    rf"\bthanks?(?: you)?(?: (?:so|very) much)?(?: again)? for (?:interviewing with|"
    rf"(?:taking the time to )?(?:speak|talk|chat|meet)(?:ing)? with (?:us|me|the team|\w+)"
    rf"(?: and \w+)? {_PAST_WHEN}|coming in|making the time|"
    rf"taking the time to (?:speak|talk|chat|meet) with (?:us|me|the team|\w+) {_PAST_WHEN})|"
    rf"(?<!be )(?<!be so )\b(?:great|nice|good|lovely|wonderful|a pleasure|a real pleasure|"
    rf"fantastic) {_MET}(?: (?:with|to))? (?:you(?! (?:tomorrow|next|on \w+day|later|soon|then|"
    rf"at)\b)|{_PAST_WHEN})|"
    rf"\b(?:it was|it's been|it has been|it was really) (?:so |very |really |truly )?(?:great|nice|"
    rf"good|lovely|wonderful|a pleasure|a real pleasure|fantastic) {_MET} (?:with |to )?you\b|"
    rf"\b(?:it was|it's been|it has been|was|been|it was really|was really) (?:so |very |really )?"
    rf"(?:great|nice|good|lovely|wonderful|a pleasure|a real pleasure|fantastic) to (?:speak|"
    rf"talk|chat|meet|connect|catch up) (?:with |to )?you\b|"
    rf"\b(?:great|nice|good|lovely|wonderful|a pleasure) to (?:speak|talk|chat|meet|connect|"
    rf"catch up) (?:with |to )?you {_PAST_WHEN}|"
    rf"\b(?:I|we|the team|everyone|\w+) (?:really |truly |thoroughly )?enjoyed (?:our|the|"
    rf"today's|yesterday's) (?:call|chat|conversation|discussion|talk|meeting|interview)|"
    rf"\b(?:I|we|the team|everyone|\w+) (?:really |truly |thoroughly )?enjoyed {_MET}|"
    rf"\b(?:following up|follow-up|as a follow up|to follow up) (?:on|from|after) (?:our|"
    rf"the|today's|yesterday's) (?:call|chat|conversation|interview|discussion|meeting|talk)"
    rf"(?! (?:on|at|tomorrow|next|scheduled|planned)\b)|"
    rf"\b(?:after|following|per|since) our (?:call|chat|conversation|interview|discussion|"
    rf"talk) (?:today|yesterday|earlier|this (?:morning|afternoon)|last week|on \w+day)|"
    rf"\bafter (?:today's|yesterday's|this morning's|this afternoon's) (?:call|chat|"
    rf"conversation|interview|discussion|talk)|"
    rf"\bas (?:we )?discussed (?:on|over|during) (?:the|our) (?:phone|call)|"
    rf"\bas (?:we )?discussed (?:today|yesterday|earlier|this (?:morning|afternoon))|"
    rf"\bthank you for interviewing\b|\bthanks for interviewing\b|"
    rf"\b(?:the team|everyone|the panel|the interviewers|\w+) (?:really )?(?:enjoyed|liked|"
    rf"appreciated) (?:meeting|speaking with|talking (?:with|to)|chatting with) you|"
    # German
    rf"\b(?:vielen |herzlichen )?dank (?:nochmals |noch einmal )?für (?:das|unser|ihr|dein) "
    rf"(?:sehr |wirklich |besonders )?(?:nette[sn]? |angenehme[sn]? |gute[sn]? |interessante[sn]? |offene[sn]? )?"
    rf"(?:gespräch|telefonat|interview|kennenlernen)\b|"
    rf"\bdanke? (?:\w+ ){{0,3}}für ihre zeit (?:heute|gestern)|"
    rf"\b(?:wie )?(?:heute|gestern|eben|vorhin) (?:telefonisch )?besprochen|"
    rf"\bnach unserem (?:heutigen |gestrigen )?(?:gespräch|telefonat|interview)|"
    rf"\b(?:hat|hatte) (?:mich|uns) (?:sehr )?gefreut,? sie (?:kennenzulernen|kennengelernt)|"
    # French
    rf"\bmerci (?:encore )?(?:pour|de) (?:notre|cet|cette|l'|votre) ?(?:échange|entretien|"
    rf"appel|conversation|temps (?:aujourd'hui|hier|ce matin))|"
    rf"\bsuite à notre (?:échange|entretien|conversation|appel)|"
    rf"\bcomme (?:convenu|discuté|évoqué) (?:au téléphone|par téléphone|lors de notre|"
    rf"aujourd'hui|hier|ce matin)|"
    rf"\bravie? d'avoir (?:échangé|discuté|parlé)|\b(?:ce fut|c'était) un plaisir d'échanger|"
    # Spanish
    rf"\bgracias (?:de nuevo )?por (?:tu|su) tiempo (?:hoy|ayer|esta mañana)|"
    rf"\bgracias (?:de nuevo )?por (?:la|nuestra) (?:entrevista|conversación|llamada|charla)"
    rf"(?! (?:de|del) (?:mañana|próximo))|"
    rf"\bfue un (?:gusto|placer) (?:hablar|conversar|conocerte|conocerle|charlar)|"
    rf"\b(?:tras|después de|luego de) (?:nuestra|la) (?:conversación|llamada|entrevista) "
    rf"(?:de )?(?:hoy|ayer|esta mañana)|"
    rf"\bcomo (?:hablamos|comentamos|conversamos) (?:por teléfono|en la llamada|hoy|ayer)",
    re.IGNORECASE,
)
# A promised decision only counts together with words that look back on the interview.
_DECISION_RE = re.compile(
    r"\b(?:make|reach|have|expect) (?:a|our|the|an) (?:final )?(?:decision|answer|update)|"
    r"\b(?:let you know|get back to you|be in touch|update you|circle back|come back to you|"
    r"hear (?:back )?from (?:us|me)|next steps)\b",
    re.IGNORECASE)
_LOOKS_BACK_RE = re.compile(
    r"\b(?:your|the) (?:interview|call|conversation|chat|onsite|conversations|interviews) "
    r"(?:today|yesterday|earlier|this (?:morning|afternoon|week)|last week|on \w+day)|"
    r"\bfeedback from (?:the |your )?(?:interviewers|panel|team you met|hiring manager)|"
    r"\b(?:everyone|the people|the team|those) you (?:met|spoke (?:with|to)|talked (?:with|to))|"
    r"\b(?:your|the) (?:interview|call|conversation) (?:went|was)\b|"
    r"\byou (?:interviewed|met with|spoke with|talked (?:with|to))\b|"
    r"\b(?:collecting|gathering|waiting (?:on|for)|compiling) (?:\w+ )?feedback|\bdebrief\w*",
    re.IGNORECASE)
# Wording that looks forward to a call still to come: the weaker cues do not count then.
_STILL_TO_COME_RE = re.compile(
    r"look(?:ing)? forward to (?:speaking|talking|meeting|chatting|connecting|our|the|your)|"
    r"\bsee you (?:then|tomorrow|on)|\btalk (?:to you )?(?:then|tomorrow)|"
    r"\bspeak (?:to you )?(?:then|tomorrow)",
    re.IGNORECASE)


def _call_held(text: str) -> str | None:
    """The words saying the interview took place, or None (see _HELD_RE)."""
    m = _HELD_RE.search(text)
    if m:
        return m.group(0)
    d = _DECISION_RE.search(text)
    back = _LOOKS_BACK_RE.search(text)
    if d and back and not _STILL_TO_COME_RE.search(text):
        return back.group(0)
    return None


# The header block of a forwarded message: its Date is when it was sent, never the interview.
_FWD_HEADER_RE = re.compile(
    r"^\s*(?:>\s*)*\*?(?:From|Date|Sent|Subject|To|Cc|Von|Datum|Gesendet|Betreff|An|De|Envoyé|Objet|"
    r"À|Enviado|Asunto|Para|Fecha)\s*:\*?.*$", re.IGNORECASE | re.MULTILINE)
# "Interview Confirmed: Warehouse Associate", "Apprenticeship Interview Notice - ...".
_INTERVIEW_SUBJECT_RE = re.compile(
    r"\s*(?:[\w-]+ ){0,2}interview (?:confirmed|confirmation|invitation|notification|notice|"
    r"scheduled|booked|details|call letter)\b", re.IGNORECASE)
_REPLY_SUBJECT_RE = re.compile(r"\s*(?:re|aw|sv|rif|r)\s*:", re.IGNORECASE)
_FWD_SUBJECT_RE = re.compile(r"\s*(?:fwd?|wg|tr|rv|enc)\s*:", re.IGNORECASE)
# Mail providers and the documentation domains: no company behind the address.
_GENERIC_DOMAINS = FREEMAIL_DOMAINS | {"example.com", "example.org", "example.net"}


_WS_RE = re.compile(r"\s+")
_WRAP_RE = re.compile(r"(?<=[^\s])[ \t]*\n[ \t]*(?=[^\s>])")
_SYSTEM_SENDER_RE = re.compile(r"(?:no-?reply|noreply|do-?not-?reply|notifications?|alerts?|"
                               r"newsletter|news|marketing|info|support|events?)\b")
_CALL_WITH_YOU_RE = re.compile(
    r"\b(?:today's|tomorrow's|tonight's|our|\w+day's) (?:phone )?(?:call|chat|interview)\b|"
    r"\b(?:I'll|I will|we'll|we will) (?:still )?(?:call|ring|phone|give) you(?: a (?:ring|call|"
    r"buzz|bell))?\b|\bcall you (?:from|at|on)\b",
    re.IGNORECASE)
# A person arranging the next conversation: never an automatic acknowledgement.
_NEXT_STEP_RE = re.compile(
    r"\b(?:I'd|I would|we'd|we would|I want to|we want to|I'd love to|we'd love to) (?:like to )?"
    r"(?:set up|schedule|arrange|book|line up|invite you (?:to|for)) (?:a|an|some|your|the) "
    r"(?:[\w-]+ ){0,3}(?:call|chat|interview|conversation|meeting|screen)|"
    r"\b(?:could|can|would) you (?:please )?(?:send|share|give|let) (?:me|us) (?:know )?(?:a few |some |"
    r"your |the )?(?:windows|times|slots|availability|dates|options)|"
    r"\bwhat (?:times?|days?|windows?) (?:would |might )?work (?:best )?for you|"
    r"\bwhat does your (?:week|schedule|calendar|availability|diary) look like|"
    r"\bwhen (?:are you|would you be|might you be) (?:free|available)\b|"
    r"\b(?:send|share) (?:me |us )?(?:your|a few|some) (?:availability|times|windows|slots)|"
    r"\bzeitfenster (?:nennen|mitteilen|vorschlagen)|\bihre verfügbarkeit|"
    r"\bwann (?:hätten|haben|passt es) (?:sie|ihnen)|\bvos disponibilités|"
    r"\b(?:tus|sus) disponibilidad|\b(?:tu|su) disponibilidad|\bqué (?:horario|día)s? te|"
    # An agency recruiter screening before submitting the candidate to a client.
    r"\b(?:before|so) (?:I|we) (?:can )?(?:put you forward|submit you|present you)\b|"
    r"\b(?:happy|glad) to (?:jump|hop|get) on a (?:quick )?(?:call|chat)\b|"
    r"\bterminvorschl[äa]ge\b|\bwürden (?:sie|dich) gerne .{0,40}kennenlernen\b",
    re.IGNORECASE)


def _mask(text: str, table: Iterable[Cue]) -> str:
    for cue in table:
        text = cue.pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


_DOMAIN_FILLER = frozenset({"example", "mail", "email", "com", "org", "net", "careers", "jobs",
                            "talent", "hire", "recruiting", "notifications", "news", "info"})


def _mask_own_name(text: str, sender_domain: str) -> str:
    """Blank out capitalised words that spell the sender's own domain ("Summit Peak" from
    summitpeak.example.com): a company's name is not a hard-negative cue."""
    labels = [x for x in sender_domain.lower().split(".")[:-1] if x not in _DOMAIN_FILLER]
    if not labels:
        return text

    def blank(m: re.Match[str]) -> str:
        w = m.group(0).lower()
        return " " * len(w) if any(w in lab for lab in labels) else m.group(0)

    return re.sub(r"\b[A-Z][a-z]{3,}\b", blank, text)


def _cue_label(cue: Cue) -> str:
    return f"{cue.label} (+{cue.weight})"


def _sum_cues(text: str, table: Iterable[Cue]) -> tuple[int, list[str]]:
    total, labels = 0, []
    for cue in table:
        if cue.pattern.search(text):
            total += cue.weight
            labels.append(_cue_label(cue))
    return total, labels


def _drop(labels: list[str], cue: Cue) -> int:
    """Take `cue` back out of a sum made by `_sum_cues`: the weight to subtract (0 when it
    was not counted)."""
    label = _cue_label(cue)
    if label not in labels:
        return 0
    labels.remove(label)
    return cue.weight


# ---------------------------------------------------------------------------------------
# understand
# ---------------------------------------------------------------------------------------


def understand(
    message: Message, *, me: Iterable[str] = (), tz: str = "UTC", region: str | None = None
) -> Understanding:
    """Decide the kind of one message and pull out the facts it states.

    `tz` is the user's zone (times written without one are in it), `me` the user's own
    addresses, `region` the phonenumbers default region (derived from `tz` when None, see
    `zones.region_for_zone`).
    """
    try:
        ZoneInfo(tz)
    except (KeyError, ValueError):
        tz = "UTC"
    own = {a.lower() for a in me}
    sender = message.sender.email if message.sender is not None else ""
    if sender and sender in own:
        return Understanding(Kind.OTHER, cues=("sent by you",))
    events = parse_calendars(message.calendars, tz)
    if any(e.method == "REPLY" for e in events):
        return Understanding(Kind.OTHER, cues=("a calendar reply (RSVP)",))

    h = message.headers
    auto_submitted = h.get("auto-submitted", "no").strip().lower()
    header_auto = auto_submitted not in ("", "no") or "x-autoreply" in h or "x-autorespond" in h
    # Mail worth reading is short; a megabyte of decoded attachment is not read in full.
    parts = extract.split_reply(message.text[:_MAX_TEXT])
    if parts.quoted and not parts.forwarded and _FWD_SUBJECT_RE.match(message.subject or ""):
        # "FW: Panel interview" over an Outlook "From: / Sent:" block: Outlook forwards
        # look like replies, but the old mail is the content.
        parts = replace(parts, quoted="", forwarded=_unquote(parts.quoted))
    new = parts.new
    sender_domain = sender.rsplit("@", 1)[-1] if "@" in sender else ""
    lang = extract.language(new or message.text)
    ctx = extract.Context(
        sent=message.date, tz=tz, sender_domain=sender_domain,
        day_first=extract.day_first(lang, sender_domain, tz),
    )
    subject = message.subject or ""
    ooo = bool(_OOO_SUBJECT_RE.search(subject)) or bool(_OOO_BODY_RE.search(new[:600]))
    if ooo or auto_submitted.startswith("auto-replied") or "x-autoreply" in h:
        return Understanding(
            Kind.OTHER, auto_reply=True, back_on=extract.back_on(new, ctx),
            cues=("automatic reply" + (" (out-of-office wording)" if ooo else " (headers)"),),
        )

    # Links are dropped from the wording: their paths are full of words ("meetup-join").
    cue_text = _BOILERPLATE_RE.sub(" ", extract.LINK_RE.sub(" ", f"{subject}\n{new}"))
    # Signatures are left out of times and phones but say who writes ("Technical Recruiter").
    sig_text = extract.LINK_RE.sub(" ", parts.signature)
    event_text = "\n".join(e.summary + "\n" + e.description for e in events)
    cue_all = (cue_text + "\n" + sig_text + "\n"
               + _BOILERPLATE_RE.sub(" ", extract.LINK_RE.sub(" ", event_text)))
    # Mail wraps lines mid-phrase ("We've received your\napplication"): cues read the
    # paragraphs as one line each.
    cue_all = _WRAP_RE.sub(" ", cue_all)
    # "Mock interview", "will play the hiring manager", "interview reviews": the job words
    # inside a hard-negative phrase name the practice or the review, not an interview.
    job, job_cues = _sum_cues(_CONDITIONAL_RE.sub(" ", _mask(cue_all, _MASKING_CUES)), JOB_CUES)
    # "Scheduling talk" alone (a gym booking, a statement "now available") is not a job
    # conversation: some other job cue has to be there too.
    core = job - sum(c.weight for c in JOB_CUES if c.label == "scheduling talk"
                     and c.pattern.search(cue_all))
    if _INTERVIEW_SUBJECT_RE.match(subject):
        job += 3
        core += 3
        job_cues.append("an interview notice in the subject (+3)")
    if any(sender_domain == d or sender_domain.endswith("." + d) for d in _ATS_DOMAINS):
        job += 2
        core += 2
        job_cues.append("recruiting-system sender (+2)")
    # "Summit Peak" writing from summitpeak.com: the sender's own name is not a summit.
    # "Thanks for chatting with me at the job fair": where they met, not an event blast.
    neg, neg_cues = _sum_cues(_PAST_EVENT_RE.sub(" ", _mask_own_name(cue_all, sender_domain)),
                              NEG_CUES)
    if (core == 0 and not neg and sender_domain and sender_domain not in _GENERIC_DOMAINS
            and not _SYSTEM_SENDER_RE.match(sender) and _CALL_WITH_YOU_RE.search(cue_text)):
        # "have to cancel tomorrow's call", "can we push today's 3:00? I'll still call you":
        # someone at a company about a call with the job seeker, no job word needed.
        job += 1
        core += 1
        job_cues.append("a person at a company about a call with you (+1)")
    if _cue_label(_MEDICAL_CUE) in neg_cues and (
            any(c.startswith(("screening call", "your interview")) for c in job_cues)
            or (any(c.startswith("interview wording") for c in job_cues)
                and any(c.startswith(("recruiting words", "hiring process talk"))
                        for c in job_cues))
            or _HIRING_CONTEXT_RE.search(cue_all)):
        # "Patient Access Representative at Cedar Grove Health ... a phone interview":
        # a hospital hiring, not a doctor's appointment.
        neg -= _drop(neg_cues, _MEDICAL_CUE)
    if _INTERVIEW_LABEL_RE.search(cue_all):
        # "Interview Time : 10:00 AM ... starts with a short written test": an interview day
        # that opens with a test, not an exam admission.
        neg -= _drop(neg_cues, _EXAM_CUE)
    own_domains = {a.rsplit("@", 1)[-1] for a in own if "@" in a}
    for label, weight in _sender_negatives(new, cue_all, sender, sender_domain, own_domains):
        neg += weight
        neg_cues.append(f"{label} (+{weight})")
    # One newsletter phrase may be a recruiter's footer; several ("Issue #112", "Read
    # online", "Unsubscribe") are a publication.
    # How the mail was sent (footers, bulk headers), as opposed to what it says: see below.
    bulk: list[tuple[str, int]] = []
    if _cue_label(_NEWSLETTER_CUE) in neg_cues:
        bulk.append((_cue_label(_NEWSLETTER_CUE), _NEWSLETTER_CUE.weight))
    seen = {m.group(0).lower() for m in _NEWSLETTER_CUE.pattern.finditer(cue_all)}
    if len(seen) >= 2:
        extra = 2 if len(seen) == 2 else 5
        neg += extra
        neg_cues.append(f"{len(seen)} newsletter marks (+{extra})")
        bulk.append((neg_cues[-1], extra))
    if h.get("list-id") or h.get("list-unsubscribe") or h.get("precedence", "").lower() in (
        "bulk", "list", "junk"
    ):
        neg += 2
        neg_cues.append("bulk-mail headers (+2)")
        bulk.append((neg_cues[-1], 2))
    cues: list[str] = []
    if header_auto:
        cues.append("automatic (Auto-Submitted header): never a reply")

    # The time: a calendar part wins over prose; prose is the new text, then a forwarded
    # message, then (when the new text only confirms) the quoted mail it answers.
    called_off = _called_off(cue_text, subject)
    moving = bool(called_off or _RESCHEDULE_RE.search(cue_text))
    request = [e for e in events if e.method in ("REQUEST", "PUBLISH", "") and e.start]
    cancelled = [e for e in events if e.method == "CANCEL" or e.status == "CANCELLED"]
    choice = _text_choice(new, ctx, moving=moving, lang=lang)
    source = "new text"
    # "We need to cancel Monday's interview, see Jenna's note below": the time in the
    # forwarded or quoted mail is the one being called off, not a new one.
    cancels_only = called_off is not None and not _RESCHEDULE_RE.search(cue_text)
    # The forwarded mail's own header block, the older history quoted inside it ("On Thu
    # ... wrote:") and its signature are not the interview: its new text is.
    fwd_body = _drop_header_block(parts.forwarded)
    fwd_new = extract.split_reply(fwd_body).new
    fwd_text = fwd_new if fwd_new.strip() else fwd_body
    if choice.best is None and parts.forwarded and not cancels_only:
        choice = _text_choice(fwd_text, ctx, moving=moving, lang=lang)
        source = "forwarded message"
    if choice.best is None and parts.quoted and extract.SAME_TIME_RE.search(new):
        # "Could we do the same time next Tuesday instead?": the clock is in the mail it
        # answers. Read the quoted mail first, then the new text, and keep only the times
        # the new text states.
        q_text = extract.split_reply(_drop_header_block(_unquote(parts.quoted))).new
        offset = len(q_text) + 2
        both = _text_choice(q_text + "\n\n" + new, ctx, moving=moving, lang=lang)
        said_now = [replace(m, pos=m.pos - offset, stop=m.stop - offset)
                    for m in both.candidates if m.pos >= offset]
        if said_now:
            best = max(said_now, key=lambda m: (m.score, -m.pos))
            choice = extract.Choice(best, tuple(said_now), choice.old)
            cancels_only = False
            source = "new text"  # its day, with the clock of the mail it answers
    if (choice.best is None and parts.quoted and not cancels_only
            and _CONFIRMS_QUOTED_RE.search(new)):
        q = extract.split_reply(_drop_header_block(_unquote(parts.quoted)))
        quoted_choice = _text_choice(q.new, ctx, moving=False, lang=lang)
        # A confirmation quoted below a later mail is history once its time has passed
        # ("Great speaking with you yesterday!" above "Confirmed: Tuesday at 11").
        if quoted_choice.best is not None and not (
                message.date is not None and quoted_choice.best.start < message.date):
            choice = quoted_choice
            source = "the quoted message it confirms"
    # "We have to cancel the interview planned for Thursday at 10:00": the time in the
    # cancelling sentence is the one called off.
    if (cancels_only and choice.best is not None and source == "new text"
            and (_same_sentence(new, choice.best.pos, choice.best.stop)
                 or _CANCEL_NOTICE_RE.search(subject) or _CANCEL_NOTICE_RE.search(new))):
        choice = extract.Choice(None, (), choice.old + (choice.best,))
    start = end = None
    zone = evidence = None
    if request and not cancelled:
        ev = request[0]
        start, end, zone = ev.start, ev.end, ev.zone
        evidence = f"calendar: {ev.summary}".strip()
        source = "calendar invitation"
    elif choice.best is not None:
        b = choice.best
        start, end, zone, evidence = b.start, b.end, b.zone, b.evidence

    time_bonus = 2 if start is not None and _FIRM_INVITE_RE.search(cue_all) else 0
    # Lines wrap anywhere ("offered the\nrole to another candidate"): read rejections on one.
    rejected = _REJECT_RE.search(_WS_RE.sub(" ", _CONDITIONAL_RE.sub(" ", cue_text)))
    if rejected:
        # "a case presentation on anticoagulation in the elderly": a hospital's rejection.
        neg -= _drop(neg_cues, _MEDICAL_CUE)
    next_step = _NEXT_STEP_RE.search(_WS_RE.sub(" ", cue_text))
    # "Re: Take-home assignment - Thanks, received your assignment; we will update you by
    # the 5th": a person answering in a thread, not an automatic receipt.
    answering = (not _SYSTEM_SENDER_RE.match(sender) and not header_auto
                 and bool(_REPLY_SUBJECT_RE.match(subject)))
    if start is not None or rejected or next_step or answering:
        # "Thank you for your application ... we'd like to invite you on Tuesday at 2pm",
        # "Thank you for applying ... we've decided to move forward with other candidates",
        # "Thanks for applying! Could you send me a few windows?": an acknowledgement never
        # names an interview time, turns the candidate down or asks for their availability,
        # so the thanks is politeness, not the point of the mail.
        if rejected:
            cues.append("rejection wording outweighs the thanks for applying")
        elif next_step and start is None:
            cues.append("asks to set up the next step: " + _quote(next_step))
        for cue in _ACKNOWLEDGEMENT_CUES:
            neg -= _drop(neg_cues, cue)
    if neg == sum(w for _, w in bulk) and (rejected or (start is not None and any(
            c.startswith(("your interview", "an interview notice")) for c in job_cues))):
        # A rejection or an interview confirmation sent through a mailing system carries
        # its unsubscribe footer and bulk headers: how it was sent, not what it says.
        for label, weight in bulk:
            neg_cues.remove(label)
            neg -= weight
    person = not _SYSTEM_SENDER_RE.match(sender)
    if (evidence and person and source != "calendar invitation"
            and _CALL_AT_TIME_RE.search(evidence) and not neg):
        job += 1
        core += 1
        job_cues.append("a person proposing a call at that time (+1)")
    kind: Kind
    if neg > 0 and neg >= job + time_bonus:
        kind = Kind.OTHER
        cues.extend(neg_cues)
        cues.append(f"not about an interview: hard-negative cues {neg} >= job cues "
                    f"{job + time_bonus}")
    elif rejected and not (cancelled or (moving and start is not None
                                         and _RESCHEDULE_RE.search(cue_text))):
        kind = Kind.REJECTION
        cues.append("rejection wording: " + _quote(rejected))
    elif cancelled and (job > 0 or events):
        kind = Kind.CANCEL
        cues.append("calendar cancellation (METHOD:CANCEL)")
    elif called_off is not None and job + time_bonus > 0 and start is None:
        kind = Kind.CANCEL
        cues.append("cancellation wording: " + _quote(called_off))
    elif start is not None and job + time_bonus > 0 and (core >= 1 or job >= 2) and (
        _RESCHEDULE_RE.search(cue_text) or called_off is not None
        or (request and _is_update(request[0], cue_text))
    ) and not choice.alternatives:
        kind = Kind.RESCHEDULE
        found = _RESCHEDULE_RE.search(cue_text)
        cues.append("move wording: " + _quote(found) if found else "updated invitation")
    elif start is not None and (core >= 1 or job >= 2) and job + time_bonus >= 2 and not (
        choice.alternatives and source != "calendar invitation"
    ):
        kind = Kind.INVITE
        cues.append(f"a concrete time ({source}) with job context")
    elif core >= 1 or job >= 2:
        kind = Kind.REPLY
        if choice.alternatives:
            cues.append("several alternative times, none chosen")
        elif _RESCHEDULE_RE.search(cue_text):
            cues.append("wants to move the interview but names no new time")
        else:
            cues.append("job-search conversation without a concrete time")
    else:
        kind = Kind.OTHER
        cues.append("no job-search cue")
    if kind is not Kind.OTHER:
        cues.extend(job_cues)
    if header_auto and kind is Kind.REPLY:
        kind = Kind.OTHER
        cues.append("automatic mail cannot be a reply")

    medium = phone = callee_phone = None
    if kind in (Kind.INVITE, Kind.RESCHEDULE):
        details = new + "\n" + "\n".join(e.location + "\n" + e.description for e in events)
        if source == "forwarded message":
            details += "\n" + fwd_text
        # The sentence that gives the time says how, when it says it strongly ("Friday at
        # 11am at their Canary Wharf office"), whatever else the mail mentions ("I'll call
        # you Thursday to prep").
        said = {"new text": new, "forwarded message": fwd_text}.get(source)
        sentence = ""
        if said is not None and choice.best is not None:
            b = choice.best
            sentence = said[extract.sentence_break_before(said, b.pos) + 1 :
                            extract.sentence_break_after(said, b.stop)]
        medium = (_strong_medium(sentence) if sentence else None) or _medium(details)
        video_link = bool(_VIDEO_LINK_RE.search(details))
        reg = region or zones.region_for_zone(tz)
        # "0491 570 156" to a user in Auckland is an Australian mobile: a national number
        # invalid in the user's country is tried in the interview's and the sender's.
        tld = sender_domain.rsplit(".", 1)[-1].upper()
        others = tuple(r for r in (
            zones.region_for_zone(zone) if zone and "/" in zone else None,
            "GB" if tld == "UK" else tld if len(tld) == 2 else None) if r and r != reg)
        hits = extract.find_phones(new if source != "forwarded message" else
                                   new + "\n" + fwd_text, reg, others=others)
        for e in events:
            hits += extract.find_phones(e.location, reg, "calendar", others=others)
            hits += extract.find_phones(e.description, reg, "calendar", others=others)
        if medium is None and parts.forwarded and source != "forwarded message":
            # "Wade wants to meet you Thursday, I said 1pm; see below": where, in his mail.
            medium = _medium(fwd_text)
        if medium is None and parts.quoted:
            # "Can we move to Thu same time?": how the call happens is in the mail it answers.
            medium = _medium(extract.split_reply(_unquote(parts.quoted)).new)
        phone = extract.pick_phone(hits, medium=medium, video_link=video_link)
        callee_phone = extract.pick_callee(hits)
        if medium is None and (phone is not None or callee_phone is not None):
            medium = "phone"
        if start is not None:
            cues.append(f"time read from: {evidence}")
    else:
        start = end = None
        zone = evidence = None

    held = None
    if kind is Kind.REPLY and not header_auto:
        held = _call_held(_BOILERPLATE_RE.sub(" ", extract.LINK_RE.sub(" ", new)))
        if held:
            cues.append(f'the interview took place: "{held.strip()[:60]}"')
    return Understanding(
        kind=kind,
        start=start,
        end=end,
        zone=zone,
        medium=medium,
        phone=phone,
        callee_phone=callee_phone,
        respond_by=(extract.respond_by(new, ctx)
                    if kind is not Kind.OTHER or (job and neg < job) else None),
        auto_reply=header_auto,
        back_on=None,
        evidence=evidence,
        cues=tuple(cues),
        company=_company(message, events),
        role=_role(cue_all),
        interviewer=_interviewers(new, events) if kind in (Kind.INVITE, Kind.RESCHEDULE) else (),
        call_held=bool(held),
    )


def _sender_negatives(new: str, cue_all: str, sender: str, sender_domain: str,
                      own_domains: set[str]) -> list[tuple[str, int]]:
    """Hard negatives that depend on who writes, not only on the words (see NEG_CUES for
    those): read on the unmasked text, since the sender's own name is what tells."""
    out: list[tuple[str, int]] = []
    if _EMPLOYMENT_OFFICE_RE.search(cue_all):
        # "Votre rendez-vous avec votre conseiller France Travail": an adviser, no employer.
        out.append(("employment office", 7))
    if _GROUP_GREETING_RE.search(new):
        # "Hi all - adding your personal addresses": a meeting at a job the user has.
        out.append(("a greeting to a group", 5))
    if _SOCIAL_RE.search(cue_all) and sender_domain in FREEMAIL_DOMAINS:
        # A friend's plans ("how did the interview go?? free for dinner thursday at 8?"); a
        # restaurant hiring for "dinner service" writes from its own domain.
        out.append(("social plans from a personal address", 6))
    if _SCREENING_VENDOR_RE.search(cue_all) and _SYSTEM_SENDER_RE.match(sender):
        # A screening company's automated request; an HR person asking for the same form
        # after a call is still the conversation.
        out.append(("automated background-check request", 4))
    if any(sender_domain == d or sender_domain.endswith("." + d) for d in _NEWSLETTER_DOMAINS):
        out.append(("newsletter platform sender", 5))
    if re.search(r"podcast|newsletter|webinar", sender_domain):
        # "ben@designfunk-podcast.de": the sender's own name says what it is (the cue
        # tables do not see it, since a sender's own name is masked there).
        out.append(("a podcast or newsletter's own address", 5))
    if sender_domain and sender_domain in own_domains and sender_domain not in FREEMAIL_DOMAINS:
        # A colleague at the user's own employer ("your performance review with Marta is
        # scheduled for Thursday"): the job the user has, not one they seek.
        out.append(("from your own organisation", 8))
    return out


def _text_choice(text: str, ctx: extract.Context, *, moving: bool, lang: str) -> extract.Choice:
    dz = extract.default_zone(text, ctx)
    if dz:
        from dataclasses import replace
        ctx = replace(ctx, default_zone=dz)
    mentions = extract.find_times(text, ctx, h24=lang != "en")
    return extract.choose_time(text, mentions, moving=moving)


def _drop_header_block(text: str) -> str:
    """An Outlook-quoted mail starts with its "From: / Sent: / To: / Subject:" lines; its
    own text is what follows them."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or _FWD_HEADER_RE.match(lines[i])
                              or extract.is_forward_marker(lines[i])):
        i += 1
    return "\n".join(lines[i:])


def _unquote(text: str) -> str:
    lines = text.split("\n")
    out = [re.sub(r"^\s*(?:>\s?)+", "", line) for line in lines]
    # Drop the attribution line itself so that the quoted body is "new" text.
    if out and re.match(r"^\s*(?:On|Am|Le|El)\s", out[0]):
        while out and not out[0].rstrip().endswith(":"):
            out.pop(0)
        if out:
            out.pop(0)
    return "\n".join(out)


_CANCEL_OBJECT_RE = re.compile(
    r"interview|\bcall\b|meeting|\bchat\b|conversation|screen|session|appointment|onsite|"
    r"\bevent\b|termin|gespräch|entretien|rendez-vous|\brdv\b|entrevista|reunión|llamada|"
    r"\bcita\b|\bprocess\b|\bsearch\b|requisition|\brole\b|\bposition\b|\bopening\b|"
    r"\bposte\b|\bpuesto\b|\bstelle\b",
    re.IGNORECASE,
)


def _called_off(text: str, subject: str) -> re.Match[str] | None:
    """Cancel wording that is about *this* interview (not "our VP had a cancellation").

    A cancel word counts when an interview-like noun is within 80 characters of it, or
    when the subject itself starts with it ("Canceled: Interview ...").
    """
    for m in _CANCEL_RE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if before.endswith(("a ", "any ", "no ")) and "cancellation" in m.group(0).lower():
            continue  # "had a cancellation", "a cancellation opened up": a free slot
        window = text[max(0, m.start() - 80) : m.end() + 80]
        # ... or anywhere in its sentence ("tomorrow's interview for the post of ..., which
        # was scheduled at 10:00 AM at our campus, stands cancelled").
        lo = extract.sentence_break_before(text, m.start())
        sentence = text[max(lo, m.start() - 300) : m.end()]
        if (_CANCEL_OBJECT_RE.search(window) or _CANCEL_OBJECT_RE.search(sentence)
                or m.start() < len(subject) + 1):
            return m
    return None


# A scheduling tool's cancellation notice lists the event it cancels: "Canceled: Intro call
# ...", "Greg Whitman canceled the event below".
_CANCEL_NOTICE_RE = re.compile(
    r"^\s*(?:canceled|cancelled|cancellation|event canceled|event cancelled|abgesagt|"
    r"annulé|annulation|cancelad[oa])\s*:|"
    r"\bcancel(?:l?ed|l?ing)? (?:the|this|your) (?:event|interview|meeting|call|booking|"
    r"appointment) (?:below|above)\b|\bthe following (?:event|interview|meeting) has been "
    r"cancel", re.IGNORECASE)


def _same_sentence(text: str, pos: int, stop: int) -> bool:
    """Whether a cancel word stands in the sentence of the time at text[pos:stop]."""
    sentence = text[extract.sentence_break_before(text, pos) + 1
                    : extract.sentence_break_after(text, stop)]
    return _called_off(sentence, "") is not None


def _is_update(ev: CalendarEvent, text: str) -> bool:
    return ev.sequence > 0 and bool(
        re.search(r"updated|update|changed|moved|new time|reschedul|geändert|aktualisiert|"
                  r"mise à jour|modifi|actualiza", text + ev.summary, re.IGNORECASE))


_VIDEO_NAMES_RE = re.compile(
    r"\b(?:Teams|Zoom|Skype|Webex|Google Meet|Whereby|BlueJeans)\b|\bMeet (?:link|invite|room)")


# "an interview via Microsoft Teams": a stated way of meeting beats an office address that
# only a signature or footer gives.
_VIDEO_STRONG_RE = re.compile(
    r"\b(?:via|over|using|through|per|by) (?:microsoft teams|ms teams|teams|zoom|google meet|"
    r"webex|video(?:[- ]?(?:call|conference|chat|link))?)\b|\bvideo (?:interview|call)\b|"
    r"\b(?:virtual|remote|online) (?:onsite|on-site|loop|interview)\b",
    re.IGNORECASE)


# "You have been scheduled for a phone interview": the footer's street address is the
# company's, not the venue.
_IN_PERSON_NAMED_RE = re.compile(
    r"\b(?:in[- ]person|on-?site|face[- ]to[- ]face) (?:interview|meeting|visit|assessment)",
    re.IGNORECASE)
_PHONE_NAMED_RE = re.compile(
    r"\bphone (?:interview|screen|call|chat|conversation)|\btelephone (?:interview|call)|"
    r"entrevue téléphonique|"
    r"telefoninterview|\btelephonic\b|"
    r"telefonische\w* (?:interview|gespräch|erstgespräch)|entretien téléphonique|"
    r"entrevista telefónica", re.IGNORECASE)


def _strong_medium(text: str) -> str | None:
    onsite = bool(_IN_PERSON_NAMED_RE.search(text) or _ONSITE_RE.search(text))
    video = bool(_VIDEO_LINK_RE.search(text) or _VIDEO_STRONG_RE.search(text))
    phone = bool(_PHONE_NAMED_RE.search(text) or _PHONE_STRONG_RE.search(text))
    if onsite + video + phone != 1:
        return None
    return "onsite" if onsite else "video" if video else "phone"


def _medium(text: str) -> str | None:
    # "Questions? Call us at ..." says nothing about how the interview happens.
    text = extract.HELPLINE_RE.sub(" ", text)
    if _IN_PERSON_NAMED_RE.search(text) and not _VIDEO_LINK_RE.search(text):
        return "onsite"  # "your in-person interview", whatever number is given for questions
    if _PHONE_STRONG_RE.search(text) and not _VIDEO_LINK_RE.search(text):
        return "phone"
    if _VIDEO_LINK_RE.search(text) or _VIDEO_STRONG_RE.search(text):
        return "video"
    if _ONSITE_RE.search(text):
        return "onsite"
    if _VIDEO_WORDS_RE.search(text) or _VIDEO_NAMES_RE.search(text):
        return "video"
    if _ADDRESS_RE.search(text) and not _PHONE_NAMED_RE.search(text):
        return "onsite"
    if _PHONE_STRONG_RE.search(text) or _PHONE_WORDS_RE.search(text):
        return "phone"
    return None


def _quote(m: re.Match[str] | None) -> str:
    return f'"{m.group(0).strip()[:60]}"' if m else ""


_COMPANY_SUFFIX_RE = re.compile(
    r"\s*(?:recruiting|recruitment|hiring team|talent(?: acquisition)?(?: team)?|careers|"
    r"people(?: team)?|hr|jobs|via .*|\(.*\))\s*$", re.IGNORECASE)


def _company(message: Message, events: list[CalendarEvent]) -> str | None:
    """A best guess at the company: "Interview with Acme", the sender's name, domain."""
    for text in [message.subject] + [e.summary for e in events]:
        m = re.search(r"(?:interview|call|chat|screen)\w* (?:with|at|for) ([A-Z][\w&.\- ]{1,40}?)"
                      r"(?:\s*[-|:(<,]|\s+for\b|\s+on\b|$)", text or "")
        if m and not re.match(r"(?:the|our|me|us|you)\b", m.group(1), re.IGNORECASE):
            return m.group(1).strip()
    if message.sender is not None:
        name = _COMPANY_SUFFIX_RE.sub("", message.sender.name or "")
        if name and name != message.sender.name:
            return name.strip() or None
        domain = message.sender.email.rsplit("@", 1)[-1].lower()
        label = organisation(domain) if domain not in _GENERIC_DOMAINS else None
        if label and not any(domain.endswith(d) for d in _ATS_DOMAINS):
            return label.capitalize()
    return None


def _role(text: str) -> str | None:
    m = re.search(r"(?:for|as) (?:the|our|a|an) ([A-Z][\w/&+,.\- ]{2,60}?) "
                  r"(?:role|position|opening|opportunity)\b", text)
    if m:
        return m.group(1).strip()
    m = re.search(r"\b(?:role|position|Stelle|poste|puesto)\s*(?::|of|als|de)\s*"
                  r"([A-Z][\w/&+.\- ]{2,60}?)(?:\s*[,.(\n]|$)", text)
    return m.group(1).strip() if m else None


def _interviewers(text: str, events: list[CalendarEvent]) -> tuple[str, ...]:
    names: list[str] = []
    for m in re.finditer(r"^\s*(?:interviewers?|panel|with|you'll meet|you will meet)\s*:\s*(.+)$",
                         text, re.IGNORECASE | re.MULTILINE):
        for part in re.split(r",|;|\band\b|&", m.group(1)):
            name = re.sub(r"\s*\(.*$", "", part).strip()
            if re.fullmatch(r"[A-Z][\w'\-]+(?: [A-Z][\w'\-]+){1,2}", name) and name not in names:
                names.append(name)
    for src in [text] + [e.summary + "\n" + e.description for e in events]:
        for m in re.finditer(r"\b(?:with|mit|avec|con) ([A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ'\-]+)"
                             r"{1,2})", src):
            name = m.group(1)
            if name not in names and not re.search(
                r"Zoom|Teams|Google|Meet|Team|Calendar|Hiring|Talent", name
            ):
                names.append(name)
    return tuple(names[:4])


# ---------------------------------------------------------------------------------------
# describe
# ---------------------------------------------------------------------------------------


def describe(understanding: Understanding, tz: str) -> str:
    """A short human summary of what was understood, and which cues decided it."""
    u = understanding
    head = u.kind.value
    if u.medium:
        head += f" ({u.medium})"
    if u.auto_reply:
        head += ", automatic"
    lines = [head]
    if u.start is not None:
        written = u.start
        when = f"{written:%a %d %b %Y %H:%M}"
        if u.end is not None:
            when += f"-{u.end:%H:%M}"
        when += f" {u.zone or written.tzname() or ''}".rstrip()
        try:
            user_zone = ZoneInfo(tz)
            local = u.start.astimezone(user_zone)
            if local.utcoffset() != written.utcoffset() or (u.zone and u.zone != tz):
                when += f" = {local:%a %d %b %H:%M} {tz} (your time)"
        except (KeyError, ValueError):
            pass
        lines.append(f"  when:     {when}")
    if u.phone:
        lines.append(f"  phone:    {u.phone}")
    if u.callee_phone:
        lines.append(f"  they will call you at {u.callee_phone}")
    if u.respond_by:
        lines.append(f"  answer promised by: {u.respond_by:%a %d %b %Y}")
    if u.back_on:
        lines.append(f"  back on:  {u.back_on:%a %d %b %Y}")
    if u.call_held:
        lines.append("  the interview took place (a thank-you note is due)")
    who = ", ".join(x for x in (u.company, u.role) if x)
    if who:
        lines.append(f"  about:    {who}")
    if u.interviewer:
        lines.append(f"  with:     {', '.join(u.interviewer)}")
    if u.cues:
        lines.append("  because:")
        lines.extend(f"    - {c}" for c in u.cues)
    return "\n".join(lines)

"""Recognise crisis language and post-transplant warning signs in a message.

Plain Python, no Rasa import: used by the NLU component (addons.nlu.safety_guard)
and by the channel guard, so a message that is too long to answer is still
checked. Deliberately biased towards safety, but a question *about* risk
("what is the risk of dying from AHSCT?", "is fever common after HSCT?") is not
an emergency and must not trigger.
"""

from __future__ import annotations

import bisect
import re

CRISIS = "crisis"
RED_FLAG = "red_flag"


class Then:
    """`first`, then `second` later in the text: at most `within` characters after it, or anywhere
    after it when `within` is None. As a single regex (`first.*second`, `first.{0,60}?second`) this
    is tried again from every place `first` matches, which made a long message of "on purpose on
    purpose ..." take seconds; here each regex scans the text once, so the time is linear."""

    def __init__(self, first: str, second: str, within: int | None = None):
        self.first = re.compile(first)
        self.second = re.compile(second)
        self.within = within

    def search(self, text: str) -> bool:
        if self.within is None:
            found = self.first.search(text)
            return bool(found and self.second.search(text, found.end()))
        ends = [m.end() for m in self.first.finditer(text)]
        if not ends:
            return False
        for match in self.second.finditer(text):
            before = bisect.bisect_right(ends, match.start()) - 1
            if before >= 0 and match.start() - ends[before] <= self.within:
                return True
        return False


_ME = r"my ?self"  # not "me": "this wait is killing me" is an idiom

_WHO = r"(?:i|i'?m|im|he|she|they|my \w+)"

# Categories from suicide-risk guidance: wish to die, intent or plan, means, goodbyes,
# feeling a burden, hopelessness, self-harm. Any subject: family members report too.
_CRISIS_PATTERNS: list[str | Then] = [
    r"\bsuicid",
    r"\bself[- ]?harm",
    r"\bkms\b",
    rf"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|burn|burning|starve|starving)\s+{_ME}\b",
    r"\b(?:been |started |keep )?cutting (?:again|my (?:arms?|legs?|wrists?))\b",
    r"\b(?:end|ends|ending|take|takes|took|taking|finish|finishing)\s+(?:my|his|her|their)\s+(?:own\s+)?life\b",
    r"\b(?:end|finish) (?:it|things|everything)(?: all)?\b(?! of)",
    r"\b(?:want|wants|wanted|wanna|wish|wishes|ready|plan|plans|planning|decided)\s+(?:to\s+)?(?:die|be dead)\b",
    # "going to die", but not a question of whether someone will die ("is he going to die" from a
    # 15-year-old whose dad is having HSCT got the crisis lines: a stranger's conversation, 2026-12-01)
    # nor of dying from the treatment.
    r"^(?!(?:.*[.?!]\s*)?(?:(?:so|and|but|ok|okay|hey|honestly|really|seriously),?\s+)*(?:is|am|are|will|would|could|was)\s"
    r"[^.?!]{0,25}\b(?:going|gonna) (?:to )?die\b)"
    r".*\b(?:going|gonna)\s+(?:to\s+)?(?:die|be dead)\b(?! (?:from|of|during|in|after|with|because))",
    r"\bwnat to die\b",
    r"\bwish(?:es|ed)? (?:i|he|she|they) (?:was|were|had|could) (?:be )?(?:dead|die|never been born|not here|gone)",
    r"\b(?:i|he|she)(?:'?d| would) (?:rather|be better off) (?:be )?dead\b",
    r"\bbetter off (?:dead|without me|without him|without her|if i (?:was|were)n'?t here|if i (?:was|were) gone)",
    r"\b(?:don'?t|do not|dont|doesn'?t|does not|no longer|not) (?:want|wants|wanna) (?:to )?(?:live|be alive|be here|wake up"
    r"|exist|go on|carry on|be around)",
    r"\bnot want to live\b",
    # "i feel like dying" (found by an attack: it was answered as a question about mortality); a
    # question about the treatment ("will i feel like dying on chemo?") is not a crisis.
    r"(?<!will i )(?<!would i )(?<!will you )(?<!do you )(?<!does it make you )(?<!did you )"
    r"\b(?:feel|feels|feeling|felt) like (?:dying|dieing)\b(?! (?:on|during|from|after|with) (?:the )?(?:chemo|treatment|transplant))",
    r"\b(?:tired|sick) of (?:life|living|being alive)\b",
    r"\b(?:no|not any|don'?t see (?:the|any)|dont see (?:the|any)|lost (?:the|all)|wh?at'?s the|what is the) (?:reason|point)"
    r" (?:to|in|of) (?:live|living|life|going on|keep going|carrying on|carry on|being here|anything)",
    r"\b(?:no|don'?t see (?:the|any)|dont see (?:the|any)|what'?s the) point (?:anymore|any more|in anything|in living|in life"
    # "some days i dont see the point of any of it" (a seventeenth stranger, 2026-12-03) got the death rate.
    r"|of any of (?:it|this)|in any of (?:it|this)|of anything|of it all|in it all|of living|of life|of going on)\b",
    # "sometimes I wonder what the point of any of it is" got what AHSCT is (a stranger, 2026-12-01).
    r"\bwh?at(?:'?s| is)? the point (?:of|in) (?:any of (?:it|this)|it all|anything|living|life|going on|being here)\b",
    r"\b(?:can'?t|cannot|can not|cant) (?:go on|cope|keep going|carry on|do this|take (?:it|this|much more))"
    r"(?: any ?more| like this)?\b",
    r"\b(?:not|won'?t|wont|don'?t plan on|dont plan on) (?:be |being )?(?:here|around) (?:much longer|for (?:long|christmas|much"
    r" longer)|next (?:week|month|year)|anymore|any more)",
    r"\bi don'?t think i'?ll be (?:here|around)\b",
    r"\b(?:not|never) (?:going to|gonna) be (?:here|around)\b",
    r"\b(?:not|never) (?:to )?wake up\b",
    r"\bgo to sleep and (?:never|not) wake\b",
    r"\b(?:overdose|od on)\b",
    r"\bstockpil",
    r"\bsaving (?:up )?(?:my |his |her )?(?:pills|tablets|meds|medication|tramadol|morphine|oxy\w*|\w+ ?pills)",
    r"\b(?:take|took|taking|swallow|swallowed|swallowing) (?:all|all of) (?:my|the|his|her) \w+",
    r"\bhow many \w+ (?:would|does|do|to) (?:it take to )?(?:kill|not wake|die)",
    r"\bways to (?:die|kill|end)\b",
    r"\b(?:jump|jumping) (?:off|from|in front of)\b",
    r"\b(?:a |the )?rope in the\b|\bhang (?:my|him|her)self\b",
    r"\bmak(?:e|ing) it look like an accident\b",
    r"\b(?:said|saying) goodbye to (?:my|everyone|all)\b",
    Then(r"\bwrote (?:letters|a letter|notes?) to (?:my|everyone)\b", r"\b(?:just in case|in case)\b"),
    r"\bgiving away (?:his|her|my) (?:things|stuff|belongings)\b",
    r"\b(?:won'?t|wont) have to (?:look after|worry about|care for) (?:me|him|her) (?:much )?(?:longer|anymore)\b",
    r"\b(?:disappear|vanish)(?:ed|ing)? (?:for ever|forever|for good)\b",
    r"\bnot worth (?:living|it any ?more|going on)\b",
    r"\blife (?:is|isn'?t) (?:not )?worth living\b",
    r"\bgive up on (?:life|living|everything)\b",
    r"\bwant (?:it|everything|this|the pain) (?:all )?to (?:stop|end)\b",
    r"\bno way out\b",
    r"\b(?:i|i'?m|im|i feel|feel|feeling|everything is|it'?s all|life is) (?:so |completely |totally )?hopeless\b",
    r"\b(?:ending|end) it all\b",
    r"\bunalive\b",
    r"\b(?:least painful|easiest|quickest) way to (?:go|die|end)\b",
    r"\blet (?:myself|me) die\b",
    r"\bi have a plan\b|\btonight is the night\b",
    r"\b(?:this is|saying) goodbye\b",
    r"\bwon'?t be (?:here|around|alive) (?:for|to see|when|much longer)\b",
    r"\b(?:i|he|she) (?:won'?t|will not) be (?:needing|here)\b",
    Then(r"\b(?:kill|killing) (?:me|myself)\b", r"\b(?:thinking|want|going|plan)\b"),
    r"\bthinking (?:to|about|of) kill",
    r"\b(?:a )?burden to\b",
    # A person gone for good, not an illness ("is my ms gone for good" asks whether it works).
    r"\bif i (?:was|were) gone\b|\b(?:i'?m|i am|i was|i were|i'?d be|me|myself) gone for good\b",
    r"\bno want live\b|\bwhat is for living\b",
    r"\bsaving (?:up )?(?:my |his |her )?\w+ (?:and \w+ )?for (?:weeks|when|months)\b",
    r"\b(?:with|took|taken) all (?:his|her|my) (?:medication|meds|pills|tablets)\b",
    r"\bthink(?:ing)? about (?:just )?(?:driving into|jumping|crashing|stepping in front)\b",
    r"\bnobody would (?:even )?(?:notice|care|miss me)\b|\bif i (?:just )?disappeared\b",
    r"\bsorry for everything\b",
    # Added after a stranger's attack on 2026-11-30 found them missed.
    r"\bsewer ?side\b",
    r"\bmake it (?:all )?stop (?:permanently|for good|forever)\b",
    r"\b(?:done with|had enough of|tired of) (?:life|living|being alive|existing)\b",
    r"\b(?:might as well|rather|want to|wanna) not exist\b|\bstop existing\b",
    r"\bif i (?:wasn'?t|wasnt|weren'?t|werent) (?:here|around|alive)\b",
    r"\bno point (?:in )?(?:being (?:here|alive)|living|going on)\b",
    r"\bgiv(?:ing|en) (?:my|his|her) (?:things|stuff|belongings) away\b",
    Then(r"\bwant(?:s|ed)? out\b", r"\b(?:permanently|for good|forever)\b", within=20),
    Then(r"\bdone\W+with everything\b", r"\b(?:permanently|for good|forever)\b", within=20),
    # Added after an attack found them missed (tests/safety_cases.yml, "added 2026-11-30").
    r"\b(?:took|taken|swallowed|had|downed|taking|swallowing)\s+(?:\d{2,}|(?:a |an )?(?:whole|entire|full) (?:bottle|packet"
    r"|pack|box|strip|tub)s? of|a handful of|loads of)\b[^.?!]{0,30}?\b(?:pills|tablets|paracetamol|acetaminophen|tylenol"
    r"|ibuprofen|aspirin|meds|medication|painkillers|co-?codamol|codeine|tramadol|morphine|oxy\w*|insulin|gabapentin"
    r"|pregabalin|baclofen|diazepam|valium|antidepressants|sleeping)",
    r"\blife (?:isn'?t|is not|'s not|s not|ain'?t|aint) (?:really |even )?worth (?:it|living)\b",
    r"\b(?:i'?d|i would|id) (?:much |just )?rather (?:just )?(?:die|be dead|not (?:be here|exist|be alive|wake up))\b",
    r"\bending (?:it|things|everything|my life)\b(?! of)",
    r"\b(?:want|wanna|wish|would like|going) to (?:just )?(?:disappear|vanish)\b",
    # Other languages people write in.
    r"\b(?:me )?quiero morir|\bno quiero (?:seguir )?vivir|\bje veux mourir|\benvie de mourir|\bje veux me tuer"
    r"|\bich will (?:sterben|nicht mehr leben)|\bvoglio morire|\bquero morrer|\bchc[eę] umrze[cć]"
    r"|\bnie chc[eę] (?:ju[żz] )?[żz]y[cć]",
    Then(r"\bon purpose\b", r"\b(?:burn|burned|cut|hurt)"),
    r"\b(?:burn|burned|cut|hurt)\w* (?:myself|me) on purpose\b",
]

# "38.5" is a temperature unless a unit says otherwise ("i lost 38.5 kg" was a warning sign).
_NOT_A_UNIT = r"(?!\s*(?:kg|kilos?|%|mm|cm|km|miles?|years?|yrs|k\b|lbs?|hours?|hrs|weeks?|days?|mins?|minutes?))"
# A fever of 38 or more said as a number ("fever 39", "temp of 38.2", "38.4 temperature").
_STATED_FEVER = (
    r"\b(?:fever|temp|temperature)\b[^.?!]{0,15}\b(?:3[89]|4[01])(?:[.,]\d)?\b"
    + _NOT_A_UNIT
    + r"|\b(?:3[89]|4[01])(?:[.,]\d)?\s*(?:°|degrees?|c\b)?\s*(?:c\s+)?(?:fever|temp|temperature)\b"
    + r"|\b3[89][.,]\d\b"
    + _NOT_A_UNIT
)
# Meningitis: a stiff neck with a headache or light hurting the eyes.
_STIFF_NECK = r"\bstiff neck\b[^.?!]{0,60}\b(?:headache|light)|\b(?:headache|light hurts)\b[^.?!]{0,60}\bstiff neck\b"

# Symptoms that are warning signs after a transplant or during chemotherapy.
_SYMPTOMS: list[str | Then] = [
    r"\bfever",
    r"\bfeverish",
    r"\bthermometer\b",
    r"\bburning up\b",
    r"\b(?:so |really |very )?hot and (?:shaky|shivery|cold)\b",
    r"\bhot then cold\b",
    r"\bteeth chattering\b",
    r"\b10[0-4](?:[.,]\d)?\s*°?f\b",  # "38.5" is in _STATED_FEVER, below
    r"\b(?:high |a )?temp(?:erature)?\b",
    r"\bchills?\b",
    r"\bshiver",
    r"\bshak(?:ing|y)\b",
    r"\brigou?rs\b",
    r"\bhot and cold\b",
    r"\bbleed",
    r"\bblood in (?:my|his|her|the) \w+",
    r"\b(?:black|tarry|bloody) (?:tarry )?(?:poo|stool|stools|poop)\b",
    r"\b(?:pooping|peeing|vomited|coughing|spitting) (?:up )?blood\b",
    r"\bthere was blood\b",
    r"\bblood (?:in|when|from)\b",
    r"\b(?:pee|urine|poo|stool|vomit|sick|spit|cough)\w* (?:has |with |is )?(?:blood|red)\b",
    r"\bnose ?bleed",
    r"\bbruis",
    r"\b(?:red|purple) (?:spots|dots|rash)\b",
    r"\brash\b",
    r"\bbreath(?:less|ing)\b",
    r"\b(?:trouble|difficulty|problems?|struggling|a hard time|a struggle) (?:with )?breathing\b",
    r"\bshortness of breath\b",
    r"\b(?:confused|drowsy|sleepy|muddled) and (?:confused|drowsy|sleepy|muddled|not making sense)\b",
    r"\bhurts? to breathe\b",
    r"\bchest (?:feels )?(?:tight|hurts|pain)\b|\bpain in (?:my|his|her) chest\b",
    r"\bheart (?:is )?racing\b",
    r"\bshort of breath\b",
    r"\b(?:can'?t|cannot|struggling to|hard to|difficult to) (?:breathe|breath|catch (?:my|his|her) breath)\b",
    r"\bchest pain",
    # Confusion as a symptom is reported by someone else ("she's confused"); "i'm confused"
    # by a question is not one.
    r"\b(?:he|she|they|he'?s|she'?s|hes|shes|dad|mum|mom|wife|husband|partner|son|daughter|brother|sister)\b"
    r"[^.?!]{0,60}\bconfus(?:ed|ion)\b",
    r"\b(?:sudden|new|severe) confusion\b",
    r"\b(?:keeps?|keep on|kept) getting confused\b|\bconfused about (?:what day|what time|where|who)\b",
    r"\bdisorient",
    r"\bnot making sense\b",
    r"\bsaying (?:weird|strange|odd) things\b",
    r"\bmuddled\b",
    r"\b(?:very|really|so|unusually) sleepy\b",
    r"\b(?:very |really |extremely )?drowsy\b",
    r"\bhard to wake\b",
    r"\bfaint(?:ed|ing)?\b",
    r"\b(?:nearly |almost )?passing out\b",
    r"\bpassed out\b",
    r"\bcollapsed?\b",
    r"\bseizure|\bfitting\b|\bhad a fit\b|\bhaving a fit\b|\bjerking\b",
    r"\bcan'?t find (?:his|her|my) words\b",  # "talking nonsense" is in _URGENT
    r"\bheavy (?:period|bleeding)\b|\bsoaking a pad\b",
    r"\b(?:vomiting|throwing up|diarr?h?o?ea)\b",
    r"\b(?:poo|poop|stool|stools)\s+(?:is|are|was|looks?|has been)\s+(?:black|tarry|bloody|red)\b",
    r"\b(?:central line|picc|hickman|line site|port site)\b[^.?!]{0,30}\b(?:red|oozing|swollen|pus|leaking|sore|hot)\b",
    r"\b(?:lips?|tongue|face|throat) (?:is |are )?(?:swelling|swollen)\b|\bthroat (?:feels |is )?(?:tight|closing)\b",
    r"\b(?:sudden|severe|worst|really bad|terrible|awful) (?:\w+ )?headache\b",
    r"\b(?:been |keeps? being )?sick every\b",
    # Added 2026-12-01, after emergencies written by helpers in everyday words were half missed
    # (data/nlu/red_flag_everyday.yml, tests/safety_everyday.yml).
    r"\bsweating through\b|\b(?:forehead|head|skin) (?:is |feels )?on fire\b|\bclammy\b",
    r"\bout of breath\b|\bgasping\b|\bwheez|\bpuffed\b(?! up)",
    r"\bchest\b[^.?!]{0,30}\b(?:weight|crushing|tight|pressure|heavy)\b|\bcrushing\b",
    r"\bheart (?:is )?(?:pounding|skipping|fluttering|thumping)\b",
    r"\bpus\b|\bcoughing up\b|\b(?:green|yellow) (?:stuff|phlegm|mucus|gunk)\b|\bred streak|\bweeping\b",
    r"\bblood\b[^.?!]{0,20}\b(?:toilet|loo|bowl|pan)\b|\bgums?\b[^.?!]{0,25}\bbleed",
    r"\b(?:can'?t|cannot|couldn'?t) (?:even )?swallow|\bswallowing (?:hurts|is agony)|\bhurts? (?:too much )?to (?:eat|drink|swallow)\b",
    r"\b(?:hasn'?t|hasnt|haven'?t|havent|not) (?:eaten or drunk|had (?:a|anything to) drink|drunk (?:anything|much))\b",
    r"\bbeen sick \d+ times\b|\bsick \d+ times\b|\b(?:can'?t|cant) stop (?:being sick|throwing up|vomiting)\b"
    r"|\bruns (?:won'?t|wont) stop\b",
    r"\bslurr|\bstaring into space\b|\btwitching\b|\bblacked out\b"
    r"|\b(?:fell|went down|fallen)\b[^.?!]{0,30}\bhit (?:his|her|my) head\b",
    r"\b(?:can'?t|cannot|won'?t|wont) wake\b|\bdrifts? off\b|\bacting (?:really |very )?(?:strange|odd|weird)\b"
    r"|\baway with the fairies\b|\bnot (?:himself|herself|themselves|myself) at all\b",
    r"\bvision (?:has )?(?:gone |is )?(?:blurry|blurred|funny)\b|\bblurr(?:y|ed) vision\b",
    r"\byellow(?:y|ish)?\b[^.?!]{0,20}\b(?:skin|eyes|colour|color)\b|\b(?:skin|eyes)\b[^.?!]{0,20}\byellow|\bjaundic",
    r"\b(?:tiny |little )?(?:red|purple) (?:dots|spots|marks)\b|\bblister|\braised lumps\b|\bhives\b",
    r"\b(?:very )?little urine\b|\b(?:pee|wee|urine)\b[^.?!]{0,20}\b(?:dark tea|like tea)\b",  # more in _URGENT
    r"\b(?:calf|leg|legs|ankles?|arm|neck|face|belly|tummy)\b[^.?!]{0,30}\b(?:swollen|swelling|puffy|puffing|puffed)\b",
    r"\bgrey and\b|\btoo weak to\b|\b(?:i'?m|im|feel|feels|feeling|he'?s|she'?s|hes|shes|he is|she is) (?:so|very|really) weak\b|\b(?:just )?(?:isn'?t|is not|not) right\b|\bfeel (?:so|really) ill\b",
    r"\b(?:can'?t|cant|cannot|couldn'?t|couldnt|unable to)\s+keep\b[^.?!]{0,40}\bdown\b|\bthere'?s blood\b",
    r"\b(?:line|picc|hickman|port)\b[^.?!]{0,30}\b(?:come|came|fallen|fell|pulled|slipped|coming) (?:partly |half |right )?out\b",
    r"\b(?:belly|tummy|abdomen|stomach)\b[^.?!]{0,20}\b(?:getting bigger|bigger and|bloated and tight)\b"
    r"|\bputting (?:on )?weight on fast\b|\bput on \d+ ?(?:kg|kilos?|pounds|lbs?) in\b",
    r"\b3[89] on the dot\b",
    # A fever said as a number and a stiff neck with a headache are in _URGENT (see there).
]

# Signs that are emergencies even without a transplant mentioned.
_URGENT: list[str | Then] = [
    r"\blips? (?:look |are |is |going |gone |turning )?(?:a bit |kind of )?blue\b|\bblue lips\b",
    r"\b(?:left|right|one|whole) side\b[^.?!]{0,30}\b(?:weak|numb|droop)|\bface (?:feels |is |looks )?droop",
    r"\bcrushing\b[^.?!]{0,20}\bchest\b|\bchest\b[^.?!]{0,20}\b(?:crushing|weight)\b",
    r"\b(?:can'?t|cannot) (?:breathe|breath)\b",
    r"\bchest pain",
    r"\bseizure|\bhad a fit\b",
    r"\b(?:unconscious|unresponsive|passed out|collapsed)\b",
    r"\bhaving a fit\b",
    r"\b(?:coughing|vomiting|throwing) up blood\b",
    r"\bvomit(?:ing|ed|s)? (?:with )?blood\b|\bblood in (?:her|his|my|the) (?:vomit|sick)\b",
    r"\bthroat (?:feels |is )?(?:tight|closing)\b|\b(?:lips?|tongue) (?:is |are )?(?:swelling|swollen)\b",
    # Added 2026-12-02: "fever 39 help", "help bleeding everywhere from the line", "stiff neck, headache
    # and the light hurts my eyes" named no transplant and were missed. A fever of 38 or more said as a
    # number, bleeding that will not stop, and a stiff neck with a headache or light hurting the eyes
    # (meningitis) are a reason to get help now whether or not there was a transplant.
    _STATED_FEVER,
    r"\bbleed\w*\b[^.?!]{0,20}\b(?:won'?t stop|wont stop|not stopping|everywhere|a lot|loads|heavily)\b"
    r"|\b(?:won'?t|wont|can'?t|cant) stop (?:the )?bleeding\b",
    _STIFF_NECK,
    # Added 2026-12-02 after the everyday emergencies both writers wrote were read (tests/safety_everyday.yml):
    # signs that need a doctor now in anyone, said without a transplant ("his eyes have gone yellow", "no wee
    # since yesterday", "Dad is talking nonsense and doesn't know where he is").
    r"\b(?:eyes|skin)\b[^.?!]{0,20}\b(?:gone|going|turned|turning|look|looks|are|is) (?:a bit |quite |really |very )?yellow"
    r"|\bjaundic",
    r"\bno (?:wee|pee|urine)\b|\b(?:hasn'?t|hasnt|haven'?t|havent|not) (?:had a |been for a |passed (?:any )?)?"
    r"(?:wee|pee|weed|peed|urine|urinated)\b|\b(?:weeing|peeing|passing urine) (?:loads |a lot |much |way )?less\b"
    r"|\b(?:hardly|barely) (?:any |anything )?(?:pee|wee|urin)|\b(?:pee|wee|urine)\b[^.?!]{0,20}\b(?:cola|dark brown)\b",
    r"\btalking nonsense\b|\b(?:doesn'?t|doesnt|does not|didn'?t|didnt) (?:know|recogni[sz]e) (?:where (?:he|she|they) (?:is|are)"
    r"|what day|who (?:i|we) (?:am|are)|me\b)|\bseeing things\b|\bhallucinat",
    r"\b(?:words|speech) (?:are |is )?(?:coming out|come out|came out) (?:all )?(?:wrong|jumbled|funny)\b"
    r"|\b(?:keep |keeps )?losing (?:my|his|her) words\b",
    r"\b(?:going to|gonna|about to|i'?ll|i will|(?:he|she)'?ll) (?:pass out|faint|collapse|black out)\b",
    r"\b(?:diarr?h?o?ea|poo|poop|stools?|runs)\b[^.?!]{0,25}\bblood|\bbloody (?:diarr?h?o?ea|poo|stools?)\b",
    r"\bblood blisters?\b",
    r"\b(?:bp|blood pressure)\b[^.?!]{0,25}\b(?:1[89]\d|2\d\d) ?/ ?\d{2,3}\b",
    r"\b(?:vision|sight)\b[^.?!]{0,20}\b(?:is going|going|gone|disappearing|lost)\b(?! (?:blurry|blurred|funny|back))"
    r"|\blosing (?:my |his |her )?(?:vision|sight)\b",
    Then(r"\b(?:rash|blister\w*)\b", r"\b(?:sores? in (?:my|his|her|the) mouth|mouth sores?)\b", within=60),
    Then(r"\bsudden(?:ly)?\b", r"\blost control of (?:my|his|her) (?:bladder|bowels?)\b", within=80),
    Then(r"\blost control of (?:my|his|her) (?:bladder|bowels?)\b", r"\bsudden(?:ly)?\b", within=80),
    r"\b(?:can'?t|cant|cannot|unable to) (?:\w+ ){0,4}drink anything\b"
    r"|\b(?:hasn'?t|hasnt|haven'?t|havent) (?:drunk|had a drink|had anything to drink)\b[^.?!]{0,15}\b(?:all day|since)\b",
    r"\btoo (?:weak|tired) to lift (?:my|his|her) head\b",
    # Breathless at rest or lying flat (2026-12-03): "Legs swollen up to my knees and I get breathless lying
    # down" was an emergency only by the classifier's guess, and a retrained model lost it.
    r"\b(?:breathless|short of breath|out of breath|struggling (?:to|for) breath\w*)\b[^.?!]{0,15}"
    r"\b(?:lying (?:down|flat)|at rest|resting|sitting still|doing nothing)\b",
]

_CONTEXT: list[str | Then] = [
    r"\b(?:a?hsct|ahcst|bmt|transplant\w*|tranplant\w*|stem ?cells?|infusion|re-?infus\w*|chemo\w*|conditioning)\b",
    r"\b(?:post|after) (?:a?hsct|transplant|bmt)\b|\b(?:days?|weeks?) (?:out|post|after)\b|\bweek \d+ post\b",
    r"\bplatelets\b|\bneutrophils\b|\bwhite (?:cell|blood) count\b",
    r"\bneutropeni",
    r"\bpost[- ]?(?:transplant|hsct|chemo)\b",
    r"\bday \+?\d{1,3}\b",
    r"\b(?:cells|stem cells) (?:back|put back|given back|returned)\b",
    r"\b(?:discharged|came home|got home) from (?:hospital|the ward|the unit)\b",
    r"\b(?:cyclophosphamide|atg|beam|g-?csf)\b",
    # Medicines taken at home after the transplant ("couldn't keep my aciclovir down").
    r"\b(?:aciclovir|acyclovir|valaciclovir|septrin|co-?trimoxazole|fluconazole|posaconazole|letermovir)\b",
    r"\bdischarged\b|\b(?:central line|picc|hickman)\b",
    # "it" is the transplant in this chat: "my friend had it 2 months ago and now has a fever".
    r"\b(?:had|got|did|finished) (?:it|this|that)(?: done)? (?:\d{1,2}|an?|one|two|three|four|five|six|a few|a couple of)"
    r" (?:days?|weeks?|months?) ago\b|\b(?:had|got|did) (?:it|this|that)(?: done)? (?:last|this) (?:week|month)\b",
]

# The writer (or someone they care for) has it now.
_PERSONAL_NOW: list[str | Then] = [
    Then(
        r"\b(?:i|i'?m|im|i'?ve|ive|my|me|he|she|he'?s|she'?s|hes|shes|his|her|they|we|we'?re)\b",
        r"\b(?:has|have|had|got|gotten|getting|is|am|are|was|keeps?|kept|started|starting|running|been|feel|feels|feeling"
        r"|felt|can'?t|cannot|woke|coughing|bleeding|shaking|shivering|burning|seems?|looks?|recovering|post|gets?)\b",
        within=60,
    ),
    r"\b(?:now|right now|today|tonight|this (?:morning|afternoon|evening)|since (?:yesterday|last night|this|the|they|her|his|my)"
    r"|for the (?:last|past)|an hour|hours|all day|all night|won'?t stop|keeps? going)\b",
    r"\b3[789](?:[.,]\d)?\s*(?:°|degrees|c\b)|\b3[789][.,]\d\b"
    + _NOT_A_UNIT
    + r"|\b10[0-4](?:[.,]\d)?\s*(?:°|degrees|f\b)|\b10[0-4](?:[.,]\d)?f\b",
    r"\b(?:suddenly|only came home|came home from|just came home)\b",
    r"\bday \+?\d{1,3}\b|\b\d+ (?:days?|weeks?|wks?) (?:out|post|after|ago)\b|\b(?:a|last) (?:week|fortnight) ago\b",
    r"\bweek \d+ (?:post|after|out)\b",
    r"^help\b|\bhelp\W*$|\bplease help\b",  # a cry for help now
    r"\bjust (?:passed out|collapsed|fainted|blacked out|had a (?:fit|seizure)|fell)\b",
    # A line in the chest or arm is in place now ("pus coming out of the hickman site").
    r"\b(?:central line|picc|hickman|line site|port site|portacath)\b",
    r"\b(?:bp|blood pressure)\b[^.?!]{0,25}\b\d{2,3} ?/ ?\d{2,3}\b",  # a reading taken now
    r"\b(?:plz|pls|please),? (?:what to do|help)\b",
    _STIFF_NECK,  # said as it is, not asked about ("what are the signs..." is a general question)
    r"\b(?:i'?m|im|i am|he'?s|she'?s|hes|shes|he is|she is|they'?re|they are|we'?re)\s+having\s+(?:a lot of |real |such )?"
    r"(?:trouble|difficulty|problems?|a hard time|chest pain|pain in (?:my|his|her) chest|a fit|a seizure)\b",
]

_GENERIC_QUESTION = re.compile(
    r"^(?:is|are|does|do|did|will|would|can|could|what|how|why|when|should|which|who|whats|what'?s)\b(?!'t)"
)
# Someone who has had the transplant, said without "I" or "he" ("fever post hsct", "after my
# transplant", "had ahsct last month", "since he got discharged"): the symptom is theirs unless the
# message sets a condition ("call if my temperature goes above 38 after transplant").
_HAD_IT: list[str | Then] = [
    r"\b(?:post|after)[- ](?:my |his |her |the |our )?(?:a?hsct|transplant|bmt)\b",
    r"\b(?:had|got|finished) (?:my |his |her |the |an? )?(?:a?hsct|transplant|bmt)\b",
    r"\b(?:since|got|was|been) discharged\b|\bdischarged (?:from|on|last|yesterday|today)\b",
]
_CONDITION = re.compile(
    r"\b(?:if|whether|in case|should i|should we)\b|\b(?:what|which|how)\b[^.?!]{0,20}\b(?:is|are|counts?|should)\b"
)
_LONG_AGO = re.compile(
    r"\b(?:years? ago|last year|months ago|in the past|used to|when i was (?:a )?(?:kid|child)|as a (?:child|kid|teen\w*|baby)"
    r"|since i was (?:a )?(?:kid|child|little)|back in (?:19|20)\d\d|in (?:19|20)\d\d|\w+ years on|(?:two|three|\d+) years ago"
    r"|(?:\d+|six|three|two) months post|years before)\b"
)
# A problem said to be over some time ago, for _over only ("the vomiting stopped a week ago"): these do
# not make a sign in the same message old (_LONG_AGO in classify does).
_SOME_TIME_AGO = re.compile(
    r"\b(?:(?:a|one|two|three|\d+|a few|a couple of) (?:weeks?|days?) ago|last week|after a few days|(?:\d+|\w+) months on)\b"
)
# "It settled", "I'm fine now": a past problem that is over.
_RECOVERED = re.compile(
    r"\b(?:fine|well|better|great|good) now\b|\b(?:it|that|they) (?:settled|cleared|passed|went away)\b|\bbut it settled\b"
    r"|\bloving life\b|\bdoing (?:well|great|fine|ok)\b|\bback at work\b|\bfeeling great\b|\benergy improving\b"
    r"|\bwas treated\b|\bit was treated\b|\b(?:a )?normal 3[67]|\bnormal now\b|\bhealed\b|\bsorted (?:it|out)\b"
    r"|\b(?:feeling|feel|doing|much|a lot|so much) better\b|\bcleared up\b|\bstopped (?:a|last|two|\d)"
    r"|\bwent (?:after|away)\b|\bgrowing back\b|\bstronger every\b"
    r"|\b(?:they|we|the team|the doctors?|the hospital) treated (?:it|him|her|me|them)\b|\b(?:that|it)'?s (?:over|gone)\b"
    r"|\bits gone\b|\bchecked (?:out )?and (?:was|were|it was) (?:fine|ok|okay|nothing)\b"
    # Added 2026-12-02 after an attack: "its settled now", "they gave me antihistamine and it went", a doctor
    # who "said its just deconditioning and fine", "troponin normal", "they were normal", "all good".
    r"|\bit'?s settled\b|\bsettled now\b|\bbeen fine for\b|\b(?:and|but) (?:it|they) went\W*$"
    r"|\bsaid (?:it'?s|its|it was|all|everything|he'?s|she'?s)\b[^.?!]{0,30}\b(?:fine|normal|ok|okay|nothing)\b"
    r"|\b(?:bloods?|tests?|ecg|scans?|results?|troponin|swabs?)\b[^.?!]{0,20}\b(?:normal|clear|negative)\b"
    r"|\b(?:they|it|bloods?|results?) (?:were|was|came back|are) (?:all )?(?:normal|fine|ok|okay|clear|negative)\b"
    r"|\ball good\b"
)
# Good news ("day 15 today, tired but ok, just saying hi", "bloods came back good, neutrophils up"): the
# classifier's own warning-sign guess, with no pattern behind it, gives way (warning_sign_guess_stands).
_GOOD_NEWS = re.compile(
    r"\b(?:hopeful|so happy|good news|bored|just saying hi|tired but (?:ok|okay|fine|good)|(?:getting|a bit|feeling) stronger"
    r"|bloods? (?:came back |were |are |look )?(?:good|great|normal|fine)"
    r"|(?:counts?|neutrophils|platelets)(?: are| have| starting to| started to)? (?:up|going up|coming up|come up|recovering))\b"
)
# A condition, not an event ("hypothetically if she got a temperature after hsct what should we do"); the
# transplant still to come ("my son fainted at school ... could he do hsct one day"); a question asked to
# learn ("what does a temp of 38 mean after transplant? im not ill just learning"). Added after an attack.
_IF_ONLY = re.compile(
    r"\bhypothetical|\bwhat if\b|\b(?:what should|what do) (?:we|i) do if\b"
    r"|\bif (?:she|he|i|they|we|you|my \w+) (?:ever )?(?:gets?|got|develops?|starts?|were to)\b"
)
_TREATMENT_TO_COME = re.compile(
    r"\b(?:could|can|would|will|should|might) (?:he|she|i|they|we|my \w+) (?:\w+ )?(?:do|have|get|try|go for|be"
    r" (?:able to have|eligible for)) (?:a?hsct|it|the transplant|a transplant|stem cells?)\b|\bone day\b"
)
_JUST_LEARNING = re.compile(r"\bjust (?:learning|asking|curious|wondering|reading up)\b|\bfor future reference\b")


def _not_an_event(t: str, urgent: bool) -> bool:
    """A condition with no "now", a transplant still to come with no urgent sign, or a question asked
    to learn (see _IF_ONLY, _TREATMENT_TO_COME, _JUST_LEARNING); `t` is normalised."""
    now_said = re.search(r"\b(?:now|right now|today|tonight|this (?:morning|afternoon|evening))\b", t)
    return bool(
        (_IF_ONLY.search(t) and not now_said)
        or (_TREATMENT_TO_COME.search(t) and not urgent)
        or (_GENERIC_QUESTION.match(t) and _JUST_LEARNING.search(t))
    )


_ASKS_IF_NORMAL = re.compile(
    r"\b(?:is (?:that|this|it) |is this all |that |it )?normal\W*$|\bis (?:that|this|it) normal\b"
)
# Hearsay and general questions ("my friend said you can get confused from the chemo").
_HYPOTHETICAL = re.compile(r"\b(?:you|people|patients|someone|one) (?:can|could|may|might|often|usually|sometimes) \w+")


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


# A sign said to be absent ("I have no fever, just some tingling in my hand", "no temp or chills", "she
# hasn't had a fever"): a twelfth stranger, 14 months after his transplant, got the emergency reply twice,
# the second time for "I don't have a fever". Each such phrase is read as if it were not there; any other
# sign in the message still counts ("no fever but shes shaking and confused").
_DENIED_SIGN = r"(?:fevers?|feverish|(?:high |raised )?temp(?:erature)?s?|chills?|shivers?|shivering|rash(?:es)?|bleeding|bruising)"
_DENIED = re.compile(
    r"\b(?:no|not|never|without|nor|don'?t have|do not have|doesn'?t have|does not have|haven'?t (?:got|had)"
    r"|hasn'?t (?:got|had)|not got|no sign of|no signs of|free of) (?:a |an |any )?"
    rf"{_DENIED_SIGN}(?:(?: or| and| nor|,|/) (?:a |an |any )?{_DENIED_SIGN})*\b"
    # Not a sign said absent: "no fever meds working, 39.2", "not temperature of 38 but 39".
    + r"(?!\s*(?:meds?|medicines?|reducers?|tablets?|pills?|of|is|was|reading|still|going|coming|down|over|above|\d))"
)


# MS's own symptoms, which alone, with a sign said absent, do not keep the classifier's guess of a warning sign.
_MS_OWN_SIGNS = re.compile(r"\b(?:numb\w*|tingl\w*|pins and needles)\b")


# Self-harm said not to be meant ("no im not going to hurt myself!! i mean dying from the treatment. how
# risky is it really for someone like me" got the crisis lines again, word for word: a twentieth
# stranger, 2026-12-03). Read as if it were not there; any other crisis words in the message still count
# ("im not going to hurt myself but i dont want to live like this").
_DENIED_SELF_HARM = re.compile(
    r"\b(?:(?:i'?m|im|i am) (?:not|never) (?:going to|gonna|planning (?:to|on)|thinking (?:of|about)|about to)"
    r"|(?:i )?(?:would|will|'d|'ll) never|(?:i )?(?:won'?t|wont|will not|wouldn'?t|wouldnt|would not)"
    r"|no (?:intention|plans?) (?:to|of))"
    r" (?:ever )?(?:hurt(?:ing)?|harm(?:ing)?|kill(?:ing)?|end(?:ing)?) (?:my ?self|my life)\b"
    r"|\b(?:i'?m|im|i am) not suicidal\b"
    # "no one is suicidal?? i'm asking if being 63 makes the transplant more dangerous" got the crisis lines
    # again, after a question about a mother was read as one (a twenty-ninth stranger, 2026-12-03).
    r"|\b(?:no ?one|nobody)(?: here)? (?:is|was|'s) suicidal\b"
    r"|\b(?:she'?s|shes|she is|he'?s|hes|he is|they'?re|theyre|they are|we'?re|we are) not suicidal\b"
    r"|\b(?:she|he|it) (?:isn'?t|isnt) suicidal\b"
    # "im not going to do anything silly, just tired. how long will his immune system be weak for?" got the
    # crisis lines again (a thirty-first stranger, 2026-12-03).
    r"|\b(?:i'?m|im|i am|i'?ll|i will) (?:not|never) (?:going to |gonna )?do anything (?:silly|stupid|daft)\b"
)
# Fear of dying because of the treatment, not of wanting to die ("what if i do it and i die. my kids
# would grow up without me", read by the classifier as a crisis: the same stranger).
_TREATMENT_DEATH = re.compile(
    r"\b(?:die|dies|died|dying|death|not make it|don'?t make it|dont make it)\s+(?:from|of|during|because of|on)\s+"
    r"(?:the\s+)?(?:it|this|that|hsct|ahsct|chemo\w*|treatment|transplant|procedure)\b"
    r"|\bwhat if (?:i|he|she|we|they) (?:do|have|get|go (?:ahead )?(?:with|through with)|try) "
    r"(?:it|this|that|hsct|ahsct|the (?:treatment|transplant|procedure))\b[^.?!]{0,15}"
    r"\b(?:die|dies|don'?t make it|dont make it|not make it)\b"
)


def denies_self_harm(text: str | None) -> bool:
    """Whether the message says self-harm is not meant ("im not going to hurt myself")."""
    return _says(_DENIED_SELF_HARM, text)


def fears_dying_of_treatment(text: str | None) -> bool:
    """Whether the message speaks of dying because of the treatment ("what if i do it and i die")."""
    return _says(_TREATMENT_DEATH, text)


def about_the_treatment(text: str | None) -> bool:
    """Whether dying is spoken of as a risk of the treatment, or self-harm said not to be meant: then the
    classifier's own crisis guess, with no crisis words, gives way (the SafetyGuard, JoinQuestions)."""
    return denies_self_harm(text) or fears_dying_of_treatment(text)


def _without_denied_signs(t: str) -> str:
    """`t` (normalised) with the signs it says are absent taken out (see _DENIED)."""
    return _DENIED.sub(" ", t)


def _compiled(patterns: list[str | Then]) -> list[re.Pattern[str] | Then]:
    return [re.compile(p) if isinstance(p, str) else p for p in patterns]


_CRISIS = _compiled(_CRISIS_PATTERNS)
# An urgent sign is a sign too.
_SYMPTOM = _compiled(_SYMPTOMS + _URGENT)
_URGENT_SIGN = _compiled(_URGENT)
_TRANSPLANT_CONTEXT = _compiled(_CONTEXT)
_NOW = _compiled(_PERSONAL_NOW)
_HAD = _compiled(_HAD_IT)


def _any(patterns: list[re.Pattern[str] | Then], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _over(t: str) -> bool:
    recovered = [m.end() for m in _RECOVERED.finditer(t)]
    # A sign told after the last "it settled" is new ("they treated it last week, now 38.6 again").
    if not recovered or _any(_SYMPTOM, t[recovered[-1] :]):
        return False
    return bool(_LONG_AGO.search(t) or _SOME_TIME_AGO.search(t) or re.search(r"\b(?:before|was|were|had)\b", t))


def _says(pattern: re.Pattern[str], text: str | None) -> bool:
    return isinstance(text, str) and bool(pattern.search(_without_denied_signs(_normalise(text))))


def is_over(text: str | None) -> bool:
    """Whether the message tells of a problem that is over ("i had a fever in week 2 but it settled
    and im fine now"): then neither a pattern nor the classifier's own guess makes it a warning sign."""
    return isinstance(text, str) and _over(_normalise(text))


def classify(text: str | None) -> str | None:
    """CRISIS, RED_FLAG or None. Crisis wins: it is checked first."""
    if not isinstance(text, str) or not text.strip():
        return None
    t = _without_denied_signs(_normalise(text))
    over = _over(t)
    if _any(_CRISIS, _DENIED_SELF_HARM.sub(" ", t)) and not over:
        return CRISIS
    if over:
        return None
    if not _any(_SYMPTOM, t):
        return None
    urgent = _any(_URGENT_SIGN, t)
    if not (urgent or _any(_TRANSPLANT_CONTEXT, t)):
        return None
    # A few words that are an emergency on their own ("cant breathe", "he collapsed").
    personal_now = (
        _any(_NOW, t)
        or (_any(_HAD, t) and not _CONDITION.search(t))
        or (urgent and len(t.split()) <= 4 and not _GENERIC_QUESTION.match(t))
    )
    if not personal_now:
        return None
    if _LONG_AGO.search(t) and not re.search(
        r"\b(?:now|today|tonight|right now)\b|\bsince (?:yesterday|last night|this|then|my|the|they|her|his)\b", t
    ):
        return None
    if _not_an_event(t, urgent) or _examples_only(t):
        return None
    if (_GENERIC_QUESTION.match(t) or _HYPOTHETICAL.search(t)) and not re.search(
        r"\b(?:i'?ve got|i have|i'?m|im|my temp|(?:he|she)'?s got|(?:he|she) has|(?:he|she) is|since|now|today|tonight"
        r"|won'?t stop)\b",
        t,
    ):
        return None
    return RED_FLAG


_EXAMPLES = re.compile(r"\b(?:things like|for example|for instance|such as|e\.?g\.?|like say)\b")


def _examples_only(t: str) -> bool:
    """A general question of what to watch for whose signs are only examples of it ("what kinds of
    symptoms should make us ring the team, for example things like bleeding or thyroid problems?": a
    ninth tuning set's writer)."""
    example = _EXAMPLES.search(t)
    if not (example and _WATCH_FOR.search(t, 0, example.start())):
        return False
    end = re.compile(r"[.?!]").search(t, example.end())
    told = t[: example.start()] + (t[end.end() :] if end else "")  # what is not an example
    return not _any(_SYMPTOM, told)


# A general question about what to watch for ("what should we look out for now he's home?").
_WATCH_FOR = re.compile(
    r"\b(?:watch(?:ing)? (?:out )?for|look(?:ing)? out for|look(?:ing)? for|keep an eye (?:out )?(?:on|for)|be aware of"
    r"|warning signs?|signs? (?:of|to|that|should|we|i)|what (?:signs|symptoms)|when (?:should|do|to|would) (?:we|i|you)"
    r" (?:call|ring|phone|contact|worry)|what (?:do|should) (?:we|i) (?:do|need))\b"
)


def asks_what_to_watch_for(text: str | None) -> bool:
    """Whether the message asks, in general, what to watch for or when to call (see _WATCH_FOR)."""
    return _says(_WATCH_FOR, text)


def warning_sign_guess_stands(text: str | None) -> bool:
    """Whether the classifier's own warning-sign guess, with no pattern behind it, can stand: not in a
    general question of what to watch for ("he had his transplant 2 weeks ago and is home now. what
    should we watch for?" got the emergency reply), nor in a problem that is over. The SafetyGuard and
    JoinQuestions both ask this. Nor in good news ("Day +45, bloods came back good today, neutrophils up. So happy!")."""
    if not isinstance(text, str):
        return True
    said = _normalise(text)
    t = _without_denied_signs(said)
    return not (
        # "What? I don't have a fever. I was asking if it's a relapse": a sign said absent, no other but
        # the MS's own ("I have no fever, just some tingling in my hand for two weeks": a twelfth stranger).
        (_DENIED.search(said) and not _ANY_SIGN.search(_MS_OWN_SIGNS.sub(" ", t)))
        or _WATCH_FOR.search(t)
        or _over(t)
        or _good_news_only(t)
        or _not_an_event(t, _any(_URGENT_SIGN, t))
        # "had hsct 3 weeks ago ... i feel so tired all the time is that normal" (a sixth stranger),
        # "Mood has been up and down ... Normal?": whether something is normal, with no sign named.
        or (bool(_ASKS_IF_NORMAL.search(t)) and not names_a_sign(t))
    )


def _good_news_only(t: str) -> bool:
    """Good news with no sign of illness told after it ("great news counts are recovering but she just
    passed out in the bathroom" is not good news only); `t` is normalised."""
    found = [m.end() for m in _GOOD_NEWS.finditer(t)]
    return bool(found) and not _ANY_SIGN.search(t[found[-1] :])


# Anything that could describe how someone is, in the broadest words: the classifier's own guess of a
# warning sign in one question of a message (addons/nlu/questions.py) makes the whole message a warning
# sign only with one of them. Without it, "my husband had his hsct 2 weeks ago and came home yesterday.
# i am terrified" got the emergency reply: the classifier had learnt that a transplant weeks ago goes
# with warning signs, though no sign was named.
_ANY_SIGN = re.compile(
    r"\b(?:unwell|ill|poorly|sick\w*|pain\w*|hurt\w*|ach(?:e|es|ing|y)|sore\w*|rash\w*|spots?|cough\w*|pale|grey|gray"
    r"|blue|clammy|cold|hot|sweat\w*|dizz\w*|light ?headed|weak\w*|faint\w*|vomit\w*|throw\w* up|puk\w*|diarrh\w*"
    r"|bleed\w*|blood\w*|swell\w*|swollen|breath\w*|temp\w*|fever\w*|shiver\w*|shak\w*|trembl\w*|confus\w*|drows\w*"
    r"|sleepy|not (?:himself|herself|themselves|myself|right|well|good|ok|okay|eating|drinking)|worse|collaps\w*"
    r"|numb\w*|tingl\w*|headache\w*|vision|yellow\w*|jaundic\w*|red|infect\w*|pus|ooz\w*|leak\w*|lump\w*|bruis\w*"
    r"|burn\w*|itch\w*|pee(?:s|ing)?|wee(?:s|ing)?|urin\w*|poo(?:s|p|ping)?|stool\w*|chest|heart|racing|pounding|seiz\w*|fits?|jerk\w*"
    r"|stiff|mouth|ulcer\w*|thrush|wake|waking|woke|swallow\w*|dehydrat\w*|odd|weird|strange|off|gibberish|nonsense"
    r"|recogni[sz]\w*|know (?:who|where)"
    r"|awful|terrible|horrible|off colou?r|floppy|letharg\w*|reaction\w*|allerg\w*|wheez\w*)\b"
)


def names_a_sign(text: str | None) -> bool:
    """Whether the message has any word that could describe a symptom or how someone is (see _ANY_SIGN)."""
    return _says(_ANY_SIGN, text)


# Fear said in words. A frightened message that names no sign ("he came home yesterday. i am
# terrified. i dont know what im doing") is feelings, not a warning sign: none of the 370 emergencies
# the helpers wrote (tests/safety_everyday.yml, data/nlu/red_flag_everyday.yml) voices fear without a
# sign word or a pattern.
_FEAR = re.compile(
    r"\b(?:terrified|scared|frightened|worried|anxious|panick\w*|nervous|afraid|overwhelmed|freaking out)\b"
)


def fear_without_a_sign(text: str | None) -> bool:
    """Whether the message voices fear and names no sign of illness (see _FEAR, _ANY_SIGN)."""
    return _says(_FEAR, text) and not names_a_sign(text)

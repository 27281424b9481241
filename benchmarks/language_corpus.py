"""Synthetic UK case notes for the language checker's benchmark, made the same way every run.

Notes as safeguarding, children's and adult social care, school, police, health and youth
justice staff write them: a short header, three to eight paragraphs, sometimes an actions list.
Most sentences are plain practice recording; about one in eight carries wording the language
guidance asks practitioners to change ("refused to engage", "putting herself at risk", "kicked
off", "absconded from the unit"), in its different word forms; some carry the harmless
look-alikes ("contact details", "work placement", "refused bail") and some quote what a child
or parent said, in straight or curly quotation marks. A third of the notes are wrapped at 70 to
100 characters, as notes pasted from another system are, so phrases run across line breaks.

Everything here is made up: the people, places and events are fictional.

    from language_corpus import generate, long_note
    info = generate(Path("var/bench-language/corpus"), size_bytes=5_500_000, seed=20261127)
    text = long_note(words=2000, seed=7)
"""

from __future__ import annotations

import hashlib
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

SEED = 20261127
PROBLEM_SHARE = 0.12
LOOKALIKE_SHARE = 0.05
QUOTE_SHARE = 0.08

GIRLS = [
    "Amelia", "Olivia", "Isla", "Ava", "Freya", "Lily", "Mia", "Grace", "Ellie", "Poppy",
    "Aisha", "Zara", "Maryam", "Chloe", "Jessica", "Ffion", "Seren", "Caitlin", "Megan", "Nia",
    "Precious", "Amara", "Kayla", "Leah", "Shannon", "Tia", "Courtney", "Jade", "Hollie", "Eva",
]  # fmt: skip
BOYS = [
    "Jayden", "Oliver", "Harry", "Noah", "Leo", "Charlie", "Alfie", "Mason", "Tyler", "Kian",
    "Mohammed", "Ibrahim", "Yusuf", "Dylan", "Rhys", "Osian", "Callum", "Connor", "Liam", "Kyle",
    "Tyrese", "Kofi", "Reece", "Brandon", "Josh", "Ethan", "Jamie", "Lewis", "Owen", "Riley",
]  # fmt: skip
ADULTS_F = ["Mrs Hughes", "Ms Begum", "Ms Kowalska", "Mrs Evans", "Ms Okafor", "Mrs Patel"]
ADULTS_M = ["Mr Davies", "Mr Khan", "Mr Nowak", "Mr Williams", "Mr Mensah", "Mr O'Connor"]
RELATIVES = ["the carer", "the daughter", "the son", "the neighbour", "the niece"]
PARENTS = ["Mum", "Dad", "Nan", "Grandad", "the aunt", "the foster carer", "Mum's partner"]
PLACES = [
    "the park behind the leisure centre", "the bus station", "McDonald's on the high street",
    "a flat on Station Road", "the retail park", "the canal towpath", "a friend's house in Ely",
    "the shopping centre", "the skate park", "a takeaway on Cowley Road", "the train station",
    "an address in the next county", "the underpass by the ring road", "the community centre",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
WORKERS = [
    "the social worker", "the family support worker", "the school nurse", "the DSL",
    "the youth worker", "the health visitor", "the PCSO", "the YOT case manager",
    "the CAMHS practitioner", "the independent reviewing officer", "the personal adviser",
    "the pastoral lead", "the Early Help coordinator", "the housing officer", "the GP",
]  # fmt: skip
AGENCIES = [
    "CAMHS", "Early Help", "the MASH", "the youth offending team", "the school", "health",
    "housing", "the police", "the Women's Aid outreach worker", "the substance misuse service",
    "children's social care", "the adult safeguarding team", "the school nursing team",
]  # fmt: skip
SUBJECTS = ["maths", "English", "science", "PE", "art", "history", "food technology", "Welsh"]
TYPES = {
    "school": ["Safeguarding log (DSL)", "Pastoral note", "Attendance meeting record"],
    "social care": ["Home visit", "Statutory visit", "Child in care review note", "Case note"],
    "safeguarding": ["Strategy discussion", "MASH enquiry", "Child protection conference note"],
    "police": ["Missing person return", "Occurrence log", "Return home interview"],
    "health": ["Health visitor contact", "School nurse contact", "GP safeguarding note"],
    "adults": ["Adult safeguarding enquiry", "Care and support review", "Section 42 note"],
    "youth justice": ["YOT supervision session", "Referral order panel note"],
}
AUTHORS = {
    "school": ["Designated safeguarding lead", "Head of year", "Pastoral support worker"],
    "social care": ["Social worker", "Family support worker", "Senior practitioner"],
    "safeguarding": ["MASH social worker", "Team manager", "Child protection chair"],
    "police": ["PC 4471", "PCSO 2203", "DC 1186, exploitation team"],
    "health": ["Health visitor", "School nurse", "Named GP for safeguarding"],
    "adults": ["Social worker, adult services", "Care coordinator", "Safeguarding adults lead"],
    "youth justice": ["YOT case manager", "Youth justice worker"],
}

# Plain practice recording. {n} is the child's or adult's first name, {he}/{him}/{his}/{himself}
# and their capitalised forms follow the person; {w} a worker, {a} an agency, {p} a parent or carer.
CLEAN = [
    "I visited the family home at {t} and {n} answered the door.",
    "{n} was in the living room watching television with {his} younger brother.",
    "{P} made me a cup of tea and we talked in the kitchen for about forty minutes.",
    "The house was warm and tidy and there was food in the fridge.",
    "{n} showed me {his} bedroom, which {he} shares with {his} sister.",
    "{He} told me about the football match at the weekend and seemed relaxed.",
    "We talked about how things have been at school since half term.",
    "{n}'s attendance this term is {pc}%, up from {pc2}% last term.",
    "{He} has been late on {k} occasions this month, mostly on {d}s.",
    "*|I spoke to {w} by phone on {d} to share the outcome of the visit.",
    "*|{w} confirmed that a referral to {a} was made on {dd} {m}.",
    "A strategy discussion was held on {dd} {m} with {a} and {a2}.",
    "The threshold for a section 47 enquiry was agreed and a joint visit arranged.",
    "The plan was reviewed and all actions from the last core group are complete.",
    "{P} said the new bedtime routine is working and {n} is sleeping better.",
    "{n} was seen alone for part of the visit, with {P}'s agreement.",
    "{He} said {he} feels safe at home and would tell {his} teacher if anything changed.",
    "{n} was found by officers at {place} at {t} and returned home.",
    "{He} was cold and hungry but had no visible injuries.",
    "Officers carried out a safe and well check and the return home interview was offered.",
    "The missing episode lasted about six hours.",
    "{n} did not want to say where {he} had been or who {he} was with.",
    "We agreed to meet again next {d} at the youth centre, which {n} chose.",
    "{His} key worker will share a copy of the plan in plain English.",
    "{n} has started a college course in motor vehicle maintenance and goes three days a week.",
    "{He} is proud of {his} progress and wants {P} to come to the open evening.",
    "The school has put in place a quiet space {n} can use at break times.",
    "{n} was upset during {subj} and was supported by the pastoral lead.",
    "{He} was able to say that the noise in the dining hall is hard for {him}.",
    "Staff will give {him} a five-minute warning before lessons change.",
    "*|There have been no further incidents since the last review meeting.",
    "{P} has been attending the parenting group every {d} and finds it useful.",
    "The health visitor weighed the baby, who is gaining weight as expected.",
    "Immunisations are up to date and the next developmental check is due in {m}.",
    "{n} is registered with a dentist and was last seen in {m}.",
    "*|{P} reported that the boiler has been broken for two weeks; housing have been informed.",
    "*|The family are on a low income and a food bank voucher was given.",
    "*|An application for the household support fund has been made.",
    "{n} has a diagnosis of ADHD and takes medication in the morning.",
    "{His} EHCP annual review is booked for {dd} {m}.",
    "*|I explained the purpose of the assessment and how information will be shared.",
    "{P} gave consent for me to speak to the school and the GP.",
    "*|The chronology has been updated with the events of the past month.",
    "{n} would like more time with {his} grandparents at weekends.",
    "{He} says {he} misses {his} old school and the friends {he} had there.",
    "{n}'s social worker will ask the independent reviewing officer to bring the review forward.",
    "The review agreed that {n} will stay with {his} current carers.",
    "{n} is doing well in {his} foster home and the carers describe {him} as kind and funny.",
    "{He} has joined a boxing club and goes twice a week with {his} carer.",
    "*|The domestic abuse notification was discussed at the daily MARAC triage.",
    "*|Police attended the address at {t} following a 999 call from a neighbour.",
    "*|{P} had a cut to the lip and declined medical attention.",
    "The children were asleep upstairs and were not woken by officers.",
    "*|A DASH risk assessment was completed and graded as high risk.",
    "*|An IDVA referral was made with {P}'s consent.",
    "*|{n} has been known to {a} since {yr}.",
    "A|The adult safeguarding concern was raised by the district nurse on {d}.",
    "A|{n} lives alone in a ground floor flat and receives four care calls a day.",
    "A|{He} has capacity to make decisions about where {he} lives.",
    "A|{His} daughter visits twice a week and manages {his} shopping.",
    "A|{n} wants to stay at home and was clear about this when we spoke.",
    "A|The carer noticed bruising to {his} forearm and reported it the same day.",
    "A|A best interests meeting will be arranged if {his} capacity changes.",
    "{n} told me {he} has been feeling low since the anniversary of {his} brother's death.",
    "We talked about the support CAMHS can offer and {he} agreed to a referral.",
    "{n} has been self-harming by cutting and the school nurse has given first aid advice.",
    "*|The risk assessment will be updated and shared with {a}.",
    "The YOT case manager met {n} at the office for {his} weekly supervision session.",
    "{He} completed the victim awareness session and wrote a letter of apology.",
    "{n} was arrested on {d} and released under investigation.",
    "{He} was interviewed with an appropriate adult present.",
    "A referral to the National Referral Mechanism was made on {dd} {m}.",
    "The exploitation screening tool was completed and shared at the MACE meeting.",
    "{n} has a new phone and will not say who gave it to {him}.",
    "{He} has been seen with large amounts of cash and new clothes.",
    "{P} found train tickets to {city} in {his} coat pocket.",
    "The school reported that {n} has been absent every {d} for the past month.",
    "*|I will write to {P} to confirm what we agreed today.",
    "*|Next visit: {d} {dd} {m} at {t}.",
    "{n} enjoys drawing and showed me the comic {he} has been making.",
    "{He} said the best thing this week was going swimming with {his} dad.",
    "{n} spoke warmly about {his} teaching assistant and says {he} can talk to her.",
    "I could hear the baby crying upstairs and {P} went to settle her.",
    "*|There was a strong smell of cannabis in the hallway.",
    "{P} agreed to a hair strand test and the appointment is booked.",
    "The case will be stepped down to Early Help at the next review.",
    "Team manager oversight: the plan is proportionate and the child's voice is recorded.",
    "{n} has not been seen by {his} GP since {m} and a health assessment is overdue.",
    "*|Information was shared under the local information sharing agreement.",
    "*|The decision and the reasons for it were recorded on the system.",
    "{n} asked whether {he} could have {his} cat with {him} if {he} moved.",
    "{He} was calm and chatty throughout and asked good questions about the plan.",
    "A|{n} was sitting in {his} chair by the window when I arrived and was pleased to see me.",
    "A|{He} told me the morning carers are often rushed and {he} does not like to complain.",
    "A|The care agency confirmed the missed call on {d} was due to staff sickness.",
    "A|{n} manages {his} own medication with a dosette box filled by the pharmacy.",
    "A|{His} son holds lasting power of attorney for property and financial affairs.",
    "A|{n} said {he} is worried about money since {his} pension was moved to a new bank.",
    "A|The bank was contacted with {n}'s consent and the card has been stopped.",
    "A|{n} would like a referral to the befriending service at the library.",
    "A|An occupational therapist will assess the bathroom for a level-access shower.",
    "A|{n} has a diagnosis of vascular dementia and {his} memory varies from day to day.",
    "A|The section 42 enquiry will look at whether {n} is being financially abused.",
    "A|{n}'s wishes were recorded in {his} own words and read back to {him}.",
    "A|{He} has been drinking more since {his} wife died in {m}.",
    "A|The district nurse is dressing a pressure sore on {his} heel twice a week.",
    "A|{n} agreed to a carers assessment for {his} daughter.",
    "*|{n} prefers to be called by {his} first name and asked for letters in large print.",
]

# Wording the guidance asks practitioners to change, in the forms people write it.
PROBLEM = [
    "*|{n} refused to engage with {w} when she visited on {d}.",
    "*|{n} has refused to fully engage with {a} since {m}.",
    "*|{He} continues to refuse to engage with any support offered.",
    "*|{P} is refusing to engage with the plan.",
    "*|{n} refuses support from {a} and says {he} does not need it.",
    "*|{n} did not attend {his} dental appointment on {d}.",
    "{n} failed to attend the paediatric appointment on {dd} {m}.",
    "{n} DNA'd the CAMHS appointment and a further letter has been sent.",
    "*|{P} cancelled the appointment with the paediatrician for the third time.",
    "*|The family are hard to reach and rarely answer the door.",
    "There are concerns about disguised compliance by both parents.",
    "{n} appears disengaged in lessons and rarely completes work.",
    "{n} has become increasingly disengaged from education.",
    "*|{P} has been non-compliant with the written agreement.",
    "*|{n} was a no-show for the second time this month.",
    "{n} is putting {himself} at risk by going to {place} late at night.",
    "{He} continues to place {himself} at risk of exploitation.",
    "{n} has been putting {himself} in risky situations with older males.",
    "*|{His} lifestyle puts {him} at risk of harm.",
    "{n} is making poor lifestyle choices.",
    "{n} is sexually active with a man in his twenties.",
    "{n} has been contacting adults on Snapchat late at night.",
    "{n} sent explicit pictures to an adult {he} met online.",
    "{n} is in a relationship with a 24-year-old man from {city}.",
    "{n} has an older boyfriend who picks {him} up from school.",
    "{n} has been associating with older males known to police.",
    "{He} has been spending time with a group of adults linked to drug supply.",
    "{n} is involved in CSE and the risk is assessed as significant.",
    "{n} is believed to be involved in county lines.",
    "{n} became involved in crime after moving to the area.",
    "{He} was recruited by a county lines gang last year.",
    "{n} is working for a local gang as a runner.",
    "{He} keeps going back to the address on Station Road.",
    "{n} keeps going missing from {his} placement.",
    "{n} has gone missing again and is thought to be in {city}.",
    "{He} was caught sexting another pupil in Year 10.",
    "{n} is engaging in risk-taking behaviour and is hard to manage.",
    "{n} is attention seeking in class and disrupts others.",
    "Staff describe {his} behaviour as attention-seeking.",
    "{n} has a history of challenging behaviour at home and school.",
    "{He} was defiant when asked to hand over {his} phone.",
    "*|{n} was aggressive towards staff at lunchtime.",
    "*|{n} was rude and disrespectful to the supply teacher.",
    "{n} kicked off when told {he} could not go out.",
    "{He} kicks off every time contact is cancelled.",
    "{n} was kicking off in the corridor and had to be removed.",
    "*|{n} can be very manipulative with professionals.",
    "{n} absconded from the unit at 22:00 and returned at 03:15.",
    "{He} has absconded three times this month.",
    "Contact with {his} mum takes place every Saturday at the contact centre.",
    "{n}'s contact with {his} dad has been reduced to monthly.",
    "{n}'s placement broke down in {m} after a series of incidents.",
    "Following the placement breakdown {n} moved to a residential unit.",
    "{He} blew {his} last placement within a week.",
    "{n} is difficult to place because of {his} behaviour.",
    "{n} goes to respite one weekend a month.",
    "{n} has four siblings, all of whom are LAC.",
    "{n} is a LAC young person placed out of area.",
    "{n} is a care leaver living in supported accommodation.",
    "{n}'s birth parents have been invited to the review.",
    "{n} is currently NEET and has no plans for September.",
    "Sanctions were put in place after the incident at the weekend.",
    "{n} dropped out of school in Year 10.",
    "*|The allegation made by {n} was found to be malicious.",
    "{n} is described by school as promiscuous.",
    "{n} is recruiting others into selling drugs.",
    "{n} is a money mule for an older cousin.",
    "{n}'s care plan will be reviewed in {m}.",
    "A|{n} keeps refusing the carers and is putting {himself} at risk.",
    "A|{n} is non-compliant with {his} medication and refused to engage with the GP.",
    "A|{n} failed to attend {his} hospital appointment for the second time.",
    "A|{n} is a frequent no-show at the memory clinic.",
    "{n} is preparing for leaving care next year.",
]

# The same words meaning something harmless.
LOOKALIKE = [
    "*|Contact details for {w} are on the front sheet.",
    "*|{P}'s contact number has changed and the system has been updated.",
    "{n} is on a work placement at a garage in the town centre.",
    "The student placement with our team ends in {m}.",
    "*|{n} was charged and refused bail, and appeared at court on {d}.",
    "*|{n} engaged well with the session and asked for another next week.",
    "*|{He} said the system failed {him} when {he} was younger, and I think {he} is right.",
    "A|{P} receives respite care for her mother, who has dementia, twice a month.",
    "{n} has made contact with {his} old youth worker, which {he} says helps.",
    "*|The police unit responsible for the area was informed.",
]

# What a child or parent said, in their words; the words may include the phrases above.
QUOTE = [
    '{n} said, "I just want to go home and see my mum."',
    "*|{n} told me: \u201cNobody listens to me, so what\u2019s the point in talking.\u201d",
    '{P} said "{he} kicks off every night and I can\'t cope any more".',
    "*|In {his} words, \u201cI refused to engage because they never came when they said.\u201d",
    '*|{n} explained, "I go there because it\'s the only place I feel safe."',
    "{n} wrote in {his} worksheet: \u2018I wish people would stop calling me a problem.\u2019",
    "\"I'm not a runner, I'm just doing what they tell me,\" {n} said.",
    '{P} texted at {t}: "{he} has absconded again and I don\'t know where {he} is".',
    "{n} described the unit as \u201ca place where they just watch you all the time\u201d.",
    '*|{n} asked, "Why does everyone keep saying I put myself at risk?"',
    '*|Asked what would help, {n} replied, "Someone who actually stays."',
    '{P} said, "The worst bit is waiting for the phone to ring at night."',
    "Staff describe {him} as \u201cattention seeking\u201d in class.",
    'School call {him} "defiant" but {he} told me {he} was scared.',
    'A|{n} said, "I don\'t want strangers in my house every morning."',
    "A|In {his} words, \u201cI\u2019m not refusing help, I just want to be asked first.\u201d",
    'A|{P} told me: "{he} was always the one who looked after everyone else."',
    "A|{n} described the day centre as \u201cthe only time I talk to anyone all week\u201d.",
]

CITIES = ["Birmingham", "Cardiff", "Swansea", "Manchester", "Luton", "Bristol", "Norwich"]


@dataclass(frozen=True)
class CorpusInfo:
    """What was written: files, size in bytes, words (str.split) and a digest of the text."""

    directory: Path
    files: int
    bytes: int
    words: int
    sha256: str


def _pronouns(girl: bool) -> dict[str, str]:
    words = (
        {"he": "she", "him": "her", "his": "her", "himself": "herself"}
        if girl
        else {"he": "he", "him": "him", "his": "his", "himself": "himself"}
    )
    return words | {k.capitalize(): v.capitalize() for k, v in words.items()}


def _pool(templates: list[str], adult: bool) -> list[str]:
    """The templates for a note about an adult ("A|" and "*|") or a child (untagged and "*|")."""
    found = []
    for template in templates:
        tag, _bar, text = template.partition("|") if template[1:2] == "|" else ("", "", template)
        if tag == "*" or (tag == "A") == adult:
            # A relative or carer named after the start is written as named: "with Mum's consent",
            # "with the neighbour's consent".
            found.append(text[:1] + text[1:].replace("{P}", "{p}"))
    return found


POOLS = {
    adult: (
        _pool(PROBLEM, adult),
        _pool(LOOKALIKE, adult),
        _pool(QUOTE, adult),
        _pool(CLEAN, adult),
    )
    for adult in (False, True)
}


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def slots(self, adult: bool) -> dict[str, str]:
        rng = self.rng
        girl = rng.random() < 0.5
        if adult:
            name = rng.choice(ADULTS_F if girl else ADULTS_M)
            parent = rng.choice(RELATIVES)
        else:
            name = rng.choice(GIRLS if girl else BOYS)
            parent = rng.choice(PARENTS)
        return _pronouns(girl) | {"n": name, "P": parent[0].upper() + parent[1:], "p": parent}

    def template(self, adult: bool) -> str:
        problems, lookalikes, quotes, clean = POOLS[adult]
        roll = self.rng.random()
        if roll < PROBLEM_SHARE:
            pool = problems
        elif roll < PROBLEM_SHARE + LOOKALIKE_SHARE:
            pool = lookalikes
        elif roll < PROBLEM_SHARE + LOOKALIKE_SHARE + QUOTE_SHARE:
            pool = quotes
        else:
            pool = clean
        for _try in range(4):  # a note rarely says the same thing twice
            template = self.rng.choice(pool)
            if template not in self.used:
                break
        self.used.add(template)
        return template

    def sentence(self, slots: dict[str, str], adult: bool) -> str:
        rng = self.rng
        template = self.template(adult)
        agencies = rng.sample(AGENCIES, 2)
        values = slots | {
            "w": rng.choice(WORKERS),
            "a": agencies[0],
            "a2": agencies[1],
            "d": rng.choice(DAYS),
            "dd": str(rng.randint(1, 28)),
            "m": rng.choice(MONTHS),
            "t": f"{rng.randint(7, 22):02d}:{rng.choice(['00', '15', '20', '30', '45', '50'])}",
            "k": str(rng.randint(2, 9)),
            "pc": str(rng.randint(71, 97)),
            "pc2": str(rng.randint(55, 90)),
            "place": rng.choice(PLACES),
            "subj": rng.choice(SUBJECTS),
            "city": rng.choice(CITIES),
            "yr": str(rng.randint(2014, 2025)),
        }
        text = template.format(**values)
        # Templates may start with a worker or relative in lower case ("the DSL ...").
        return text[0].upper() + text[1:]

    def note(self, target_bytes: int) -> str:
        rng = self.rng
        setting = rng.choice(list(TYPES))
        adult = setting == "adults"
        slots = self.slots(adult)
        self.used = set()
        header = [
            f"{rng.choice(TYPES[setting])}",
            f"Date: {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026   "
            f"Time: {rng.randint(8, 19):02d}:{rng.choice(['00', '15', '30', '45'])}",
            f"Recorded by: {rng.choice(AUTHORS[setting])}",
            f"Subject: {slots['n']}",
        ]
        wrap = rng.random() < 0.33
        width = rng.randint(70, 100)
        paragraphs: list[str] = []
        size = sum(len(line) + 1 for line in header)
        while size < target_bytes:
            sentences = [self.sentence(slots, adult) for _ in range(rng.randint(2, 7))]
            paragraph = " ".join(sentences)
            if wrap:
                paragraph = textwrap.fill(paragraph, width=width, break_on_hyphens=False)
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        if rng.random() < 0.4:
            actions = [f"- {self.sentence(slots, adult)}" for _ in range(rng.randint(2, 4))]
            paragraphs.append("Actions:\n" + "\n".join(actions))
        return "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(directory: Path, *, size_bytes: int = 5_500_000, seed: int = SEED) -> CorpusInfo:
    """Write notes of 1.5 to 6 KB as ``note-00001.txt``... into ``directory`` until the total
    reaches ``size_bytes`` (UTF-8). Notes left there by an earlier run are removed first."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("note-*.txt"):
        old.unlink()
    writer = _Writer(random.Random(seed))  # noqa: S311 (the same notes every run, not a secret)
    digest = hashlib.sha256()
    total = words = files = 0
    while total < size_bytes:
        text = writer.note(writer.rng.randint(1500, 6000))
        data = text.encode("utf-8")
        files += 1
        (directory / f"note-{files:05d}.txt").write_bytes(data)
        digest.update(data)
        total += len(data)
        words += len(text.split())
    return CorpusInfo(directory, files, total, words, digest.hexdigest())


def long_note(*, words: int = 2000, seed: int = 7) -> str:
    """One note of exactly ``words`` words (str.split), cut after the last whole word."""
    writer = _Writer(random.Random(seed))  # noqa: S311
    text = writer.note(words * 8)
    while len(text.split()) < words:
        text += "\n" + writer.note(words * 2)
    last = list(re.finditer(r"\S+", text))[words - 1]
    return text[: last.end()] + "\n"

"""The shipped rule files: they load, cover every category, explain themselves, cite known
guidance, find their own phrases in realistic sentences and stay quiet on harmless look-alikes.

The example sentences live here because the rule schema has no room for examples. Every rule
must have one, so a new rule without an example fails this test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tip.language.checker import (
    CATEGORIES,
    RuleSet,
    check,
    load_rules,
    load_shipped,
)

RULES = Path(__file__).resolve().parents[2] / "src" / "tip" / "language" / "data" / "rules"

# rule id -> a sentence in which that rule must find its wording (not as a quotation).
EXAMPLES_EN: dict[str, str] = {
    "refused-to-engage": "Callum refused to fully engage with support from the youth worker.",
    "non-engagement": "There has been a pattern of non-engagement since March.",
    "disengaged": "Kelly has disengaged from the school counsellor.",
    "did-not-attend": "Tyler did not attend his dental appointment on 4 May.",
    "cancelled-appointment": "Mum cancelled the appointment again.",
    "hard-to-reach": "This is a hard-to-reach family.",
    "hard-to-help": "Dad is very hard to engage.",
    "disguised-compliance": "There are concerns about disguised compliance.",
    "non-compliant": "He has been non-compliant with his medication.",
    "uncooperative": "Mum was uncooperative during the visit.",
    "resistant": "Dad is resistant to support from services.",
    "not-motivated": "Mum is not motivated to change.",
    "no-show": "Another no-show at the GP surgery.",
    "putting-self-at-risk": "Leah is putting herself at risk by going to parties.",
    "lifestyle-choice": "It appears to be a lifestyle choice.",
    "sexually-active": "Ruby (14) is sexually active.",
    "sexual-activity-with": "There was sexual activity with a 22-year-old male.",
    "consented": "She told officers the sex was consensual.",
    "allowed-it-to-happen": "She allowed it to happen.",
    "child-prostitution": "She was described as a child prostitute.",
    "child-pornography": "Police found child pornography on his laptop.",
    "sexting": "There are concerns about sexting at school.",
    "sending-images": "She has been sending explicit pictures to an adult.",
    "contacting-adults": "She has been contacting older men online.",
    "older-boyfriend": "She has an older boyfriend who collects her from school.",
    "associating-with": "He is associating with older males in the town centre.",
    "drugs-for-sex": "She was given drugs in return for sex.",
    "involved-in-exploitation": "He is involved in county lines.",
    "involved-in-crime": "He became involved in crime at the age of 12.",
    "working-for-gang": "He is working for a county lines gang.",
    "goes-back-to": "She keeps going back to him.",
    "keeps-going-missing": "He keeps going missing from his carers' home.",
    "risk-taking": "He displays risk-taking behaviour.",
    "exploitation-labels": "He was being used as a money mule.",
    "promiscuous": "Staff described her as promiscuous.",
    "recruiting-others": "She is recruiting other girls into the group.",
    "malicious-allegation": "Dad says it was a malicious allegation.",
    "streetwise": "He is very streetwise for a 13-year-old.",
    "victim-of-own-choices": "She is a victim of her own choices.",
    "attention-seeking": "Her self-harm is attention seeking.",
    "challenging-behaviour": "He presents with challenging behaviour at school.",
    "defiant": "She was defiant in class.",
    "aggressive": "He was aggressive towards staff at the unit.",
    "disrespectful": "She was rude to her teacher.",
    "kicked-off": "He kicked off when he was told to go to bed.",
    "manipulative": "She is very manipulative.",
    "mouthy": "She is mouthy with staff.",
    "drama": "She is causing drama in the home.",
    "toxic-trio": "The toxic trio is present in this family.",
    "chaotic": "They are a chaotic family.",
    "troubled-family": "This is a troubled family.",
    "suffers-from": "She suffers from depression.",
    "broken-home": "He comes from a broken home.",
    "school-refuser": "He is a school refuser.",
    "frequent-flyer": "He is a frequent flyer at A&E.",
    "bed-blocker": "She has been labelled a bed blocker.",
    "service-user": "The service user attended the group.",
    "person-as-case": "She is a CSE case.",
    "self-harmer": "He is a self-harmer.",
    "addict": "Dad is a drug addict.",
    "junkie": "Neighbours called Mum a junkie in front of the children.",
    "alcoholic": "Dad is an alcoholic.",
    "absconded": "He absconded from the children's home on Friday.",
    "family-contact": "Leo has contact with his dad on Saturdays.",
    "contact-centre": "The contact centre is in the town centre.",
    "placement": "She has been in her current placement for six months.",
    "placement-breakdown": "The placement broke down after a month.",
    "difficult-to-place": "He is difficult to place.",
    "respite": "He goes to respite every other weekend.",
    "unit": "He lives in a residential unit.",
    "siblings": "She has three siblings.",
    "looked-after-child": "Looked after children have a yearly health assessment.",
    "care-leaver": "She is a care leaver.",
    "birth-parents": "Her birth parents live in Leeds.",
    "care-plan": "His care plan says he will stay until he is 18.",
    "leaving-care": "She is leaving care next year.",
    "neet": "He has been NEET since June.",
    "sanctions": "He was given sanctions for swearing.",
    "dropped-out": "He dropped out of school in Year 10.",
    "shaken-baby": "The baby had shaken baby syndrome.",
}

EXAMPLES_CY: dict[str, str] = {
    "gwrthod-ymgysylltu": "Mae hi wedi gwrthod ymgysylltu â'r gwasanaeth.",
    "diffyg-ymgysylltu": "Dydy Mam ddim yn ymgysylltu â'r cynllun.",
    "heb-fynychu": "Ni fynychodd ei apwyntiad deintydd.",
    "anodd-eu-cyrraedd": "Mae'r teulu'n anodd eu cyrraedd.",
    "cydymffurfio-cudd": "Mae pryderon am gydymffurfiaeth gudd.",
    "rhoi-ei-hun-mewn-perygl": "Mae hi'n rhoi ei hun mewn perygl.",
    "dewis-ffordd-o-fyw": "Mae hi wedi dewis ffordd o fyw.",
    "gweithgar-yn-rhywiol": "Mae Ela (14) yn weithgar yn rhywiol.",
    "cydsynio": "Roedd yn berthynas gydsyniol.",
    "puteindra-plant": "Mae'r adroddiad yn sôn am buteindra plant.",
    "pornograffi-plant": "Daeth yr heddlu o hyd i bornograffi plant.",
    "ceisio-sylw": "Mae hi'n ceisio sylw.",
    "ymddygiad-heriol": "Mae ganddo ymddygiad heriol.",
    "ystrywgar": "Mae hi'n ystrywgar iawn.",
    "anhrefnus": "Mae'n deulu anhrefnus.",
    "mynd-ar-goll-dro-ar-ol-tro": "Mae'n mynd ar goll dro ar ôl tro.",
    "lleoliad": "Mae hi mewn lleoliad maeth ers chwe mis.",
    "chwalu-lleoliad": "Roedd chwalfa lleoliad ym mis Mehefin.",
    "cyswllt-teulu": "Aeth y cyswllt gyda'i mam yn dda.",
    "canolfan-gyswllt": "Mae'r ganolfan gyswllt yn y dref.",
    "gofal-seibiant": "Mae'n mynd i ofal seibiant bob penwythnos.",
    "plant-syn-derbyn-gofal": "Mae plant sy'n derbyn gofal yn cael asesiad iechyd.",
    "defnyddiwr-gwasanaeth": "Mynychodd y defnyddiwr gwasanaeth y grŵp.",
    "ymadawyr-gofal": "Mae hi'n ymadawr gofal.",
}

# Sentences that share words with a rule but mean something harmless: no findings at all.
# (audience, sentence); "adults" where the harmless reading depends on who the note is about.
HARMLESS_EN: list[tuple[str, str]] = [
    ("all", "He was refused bail and remanded in custody."),
    ("all", "Dad refused to help with the homework."),
    ("all", "She engaged well with the nurse today."),
    ("all", "Mum did not attend the child protection conference."),
    ("all", "The school nurse did not attend due to illness."),
    ("all", "DNA samples were taken by police."),
    ("all", "The clinic cancelled the appointment due to staff sickness."),
    ("all", "The top shelf is hard to reach for Nan."),
    ("all", "The building was non-compliant with fire regulations."),
    ("all", "The infection was resistant to antibiotics."),
    ("all", "There was no show of emotion when she spoke about it."),
    ("all", "The officer put himself at risk to protect the child."),
    ("all", "Her partner puts her at risk."),
    ("all", "We completed a risk assessment on Monday."),
    ("all", "Mum consented to the referral to Early Help."),
    ("all", "Consent to the sexual health referral was recorded."),
    ("all", "He was charged with sexual activity with a child."),
    ("all", "We will not let this happen again."),
    ("all", "Mum allowed him to have his phone back."),
    ("all", "He sent her explicit images and threatened to share them."),
    ("all", "She sent her nan a picture of her drawing."),
    ("all", "She spends time with her older sister."),
    ("all", "The risks associated with county lines are high."),
    ("all", "Several agencies are involved in CSE prevention work."),
    ("all", "She keeps going back to her nan's for tea."),
    ("all", "She keeps going back to the same point in the conversation."),
    ("all", "He went missing on Friday night."),
    ("all", "Dad was plugging the gap in the fence."),
    ("all", "He is a keen runner."),
    ("all", "The service is recruiting young people for its youth panel."),
    ("all", "He promised to make it up to her."),
    ("all", "This is for the attention of the duty manager."),
    ("all", "She sought attention from a doctor for her injury."),
    ("all", "It was a challenging week for the team."),
    ("all", "He has a diagnosis of oppositional defiant disorder."),
    ("all", "Her partner was verbally aggressive to her."),
    ("all", "He is receiving aggressive treatment for cancer."),
    ("all", "It was a rude awakening for the family."),
    ("all", "The project kicks off in January with a kick-off meeting."),
    ("all", "He kicked off his shoes and sat down."),
    ("all", "Her partner is controlling and manipulative."),
    ("all", "She wore lippy to the party."),
    ("all", "The improvement in her reading has been dramatic."),
    ("all", "She enjoys drama club on Tuesdays."),
    ("all", "The ward was chaotic that evening."),
    ("all", "The family were referred to the Troubled Families programme."),
    ("all", "He is addicted to gaming."),
    ("all", "She had consumed several alcoholic drinks."),
    ("all", "He has alcoholic liver disease."),
    ("all", "He attends Alcoholics Anonymous on Thursdays."),
    ("all", "Please update Mum's contact details."),
    ("all", "The school has her contact number."),
    ("all", "I made contact with Mum by phone."),
    ("all", "I had telephone contact with Dad today."),
    ("all", "The social worker is the point of contact."),
    ("all", "She has had no contact with her father for years."),
    ("all", "She is on a work placement at the garage."),
    ("all", "He starts his student placement in May."),
    ("all", "The placement of the new bins was agreed."),
    ("all", "It is hard to place the accent."),
    ("all", "Dad got a short respite from the rain."),
    ("all", "She was admitted to the intensive care unit."),
    ("all", "He drinks 30 units of alcohol a week."),
    ("all", "She completed unit 3 of her course."),
    ("all", "Nan looked after the children at weekends."),
    ("all", "She received a benefit sanction."),
    ("all", "The manager sanctioned the expenditure."),
    ("all", "He dropped his phone in the canal."),
    ("all", "The system failed him."),
    ("all", "The baby was shaken by her father and suffered a head injury."),
    ("all", 'She said "I refused to engage with them because they took my kids".'),
    ("all", "The school contacted adult social care."),
    ("all", "Her ex-partner was controlling and jealous."),
    ("all", "The abuse included coercive and controlling behaviour."),
    ("all", "Baby was admitted to the neonatal unit."),
    ("all", "He was seen in the paediatric assessment unit."),
    ("all", "The line manager approved the leave."),
    ("all", "Dad works for a bus company."),
    ("all", "After contact with police, he went home."),
    ("all", "Please contact me on the number above."),
    ("all", "The phone signal dropped out during the call."),
    ("all", "She was placed with her aunt under a kinship arrangement."),
    ("all", "He put himself forward for the school council."),
    ("all", "He keeps going back to his old school to see teachers."),
    ("all", "He associates school with bullying."),
    ("all", "He was involved in a car accident."),
    ("all", "She is recruiting volunteers for the fun run."),
    ("all", "The meeting kicked off with introductions."),
    ("all", "Her manipulative stepfather groomed her for years."),
    ("all", "There was a dramatic increase in referrals."),
    ("all", "She is a student nurse on placement with the team until March."),
    ("all", "Two officers put themselves at risk to pull him from the river."),
    ("all", "The school is working hard to engage Dad in the plan."),
    ("all", "Grandad is having an aggressive course of chemotherapy."),
    ("all", "He joined the army and was posted to a new unit."),
    ("all", "She is leaving the care home to live with her son."),
    ("all", "In case of emergency call 999."),
    ("all", "Drop-out and no-show rates are shown by format."),
    ("adults", "Mrs Evans goes to respite care twice a month under the council contract."),
    ("adults", "He has an older partner who lives nearby."),
]

HARMLESS_CY: list[tuple[str, str]] = [
    ("all", "Cafodd ei wrthod mechnïaeth."),
    ("all", "Ni fynychodd Dad y cyfarfod."),
    ("all", "Mae ei phartner yn ei rhoi hi mewn perygl."),
    ("all", "Rwy'n cydsynio i ryw raddau."),
    ("all", "Dylai geisio sylw meddygol."),
    ("all", "Aeth ar goll nos Wener."),
    ("all", "Lleoliad y cyfarfod yw Neuadd y Dref."),
    ("all", "Diweddarwch fanylion cyswllt Mam."),
    ("all", "Gwnes i gyswllt â Mam dros y ffôn."),
    ("all", "Mae'r lleoliad gwaith yn mynd yn dda."),
    ("all", "Mae'r silff yn uchel."),
]


@pytest.fixture(scope="module")
def english() -> RuleSet:
    return load_rules(RULES / "en.yaml")


@pytest.fixture(scope="module")
def welsh() -> RuleSet:
    return load_rules(RULES / "cy.yaml")


def test_both_files_load_and_are_shipped(english: RuleSet, welsh: RuleSet) -> None:
    assert english.language == "en"
    assert welsh.language == "cy"
    assert len(load_shipped("en")) == len(english)
    assert len(load_shipped("cy")) == len(welsh)


def test_english_has_enough_rules_in_every_category(english: RuleSet) -> None:
    assert len(english) >= 60
    assert {rule.category for rule in english} == set(CATEGORIES)


def test_welsh_has_a_starting_set_marked_as_a_draft(welsh: RuleSet) -> None:
    assert len(welsh) >= 10
    head = (RULES / "cy.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("#") and "draft" in head.lower()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_rule_explains_suggests_and_cites(language: str) -> None:
    rules = load_rules(RULES / f"{language}.yaml")
    for rule in rules:
        assert len(rule.explanation.split()) >= 8, rule.id
        assert "http" not in rule.explanation, rule.id
        assert rule.suggestions and all(s.strip() for s in rule.suggestions), rule.id
        for suggestion in rule.suggestions:
            # Slots are whole: every "[" has its "]" and none is empty.
            assert suggestion.count("[") == suggestion.count("]"), (rule.id, suggestion)
            assert not re.search(r"\[\s*\]", suggestion), (rule.id, suggestion)
        assert rule.sources, rule.id
        for source in rule.sources:
            assert source.key and len(source.title) > 10, (rule.id, source.key)


@pytest.mark.parametrize(
    ("language", "examples"), [("en", EXAMPLES_EN), ("cy", EXAMPLES_CY)], ids=["en", "cy"]
)
def test_every_rule_has_an_example(language: str, examples: dict[str, str]) -> None:
    ids = {rule.id for rule in load_rules(RULES / f"{language}.yaml")}
    assert set(examples) == ids


@pytest.mark.parametrize(("rule_id", "sentence"), sorted(EXAMPLES_EN.items()))
def test_english_rule_finds_its_example(english: RuleSet, rule_id: str, sentence: str) -> None:
    found = {f.rule for f in check(sentence, english) if not f.quoted}
    assert rule_id in found, (sentence, found)


@pytest.mark.parametrize(("rule_id", "sentence"), sorted(EXAMPLES_CY.items()))
def test_welsh_rule_finds_its_example(welsh: RuleSet, rule_id: str, sentence: str) -> None:
    found = {f.rule for f in check(sentence, welsh) if not f.quoted}
    assert rule_id in found, (sentence, found)


@pytest.mark.parametrize(("audience", "sentence"), HARMLESS_EN)
def test_english_harmless_look_alikes_are_not_flagged(
    english: RuleSet, audience: str, sentence: str
) -> None:
    flagged = [
        (f.rule, f.text) for f in check(sentence, english, audience=audience) if not f.quoted
    ]
    assert flagged == [], sentence


@pytest.mark.parametrize(("audience", "sentence"), HARMLESS_CY)
def test_welsh_harmless_look_alikes_are_not_flagged(
    welsh: RuleSet, audience: str, sentence: str
) -> None:
    flagged = [(f.rule, f.text) for f in check(sentence, welsh, audience=audience) if not f.quoted]
    assert flagged == [], sentence


@pytest.mark.parametrize("language", ["en", "cy"])
def test_suggestions_do_not_trip_the_rules_themselves(language: str) -> None:
    rules = load_rules(RULES / f"{language}.yaml")
    for rule in rules:
        for suggestion in rule.suggestions:
            filled = re.sub(r"\[[^\]]*\]", "Sam", suggestion)
            assert check(filled, rules) == [], (rule.id, suggestion)


def test_word_forms_pronouns_and_gaps_are_covered(english: RuleSet) -> None:
    for sentence in (
        "He refuses to engage.",
        "They were refusing to properly engage.",
        "He places himself at significant risk.",
        "They put themselves at risk.",
        "She is putting herself\nat risk.",
        "She REFUSED TO ENGAGE with support.",
    ):
        assert check(sentence, english), sentence

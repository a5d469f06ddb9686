#!/usr/bin/env python3
# ruff: noqa: E501  (data tables of template text read best one entry per line)
"""Generate a deterministic benchmark corpus of per-state page series.

The corpus imitates the genre doclint is built for (see tests/fixtures/seeds/): a publisher
runs one question-and-answer template per topic over all 50 states. Every page of a topic
shares a skeleton (the same questions, template sentences with state-specific fillers:
state, capital, agency, SNAP and Medicaid program names, statute citations), some template
sentences are lightly paraphrased, the rest is state-specific prose, and the defects the
rules look for are planted at known rates:

    cutoff       a knowledge-cutoff disclaimer ("As of my last update, ...")
    stale_date   an anchored old date ("As of 2021, ...", "As of September 2021, ...")
    relative     an undated relative time word ("Currently, ...", "recently")
    certainty    an unsourced categorical answer ("Yes, there are safeguards in place ...")
    boilerplate  a didactic aside ("It is important to note that ...")
    leak         a sentence copied from another state's page in the same series without
                 swapping the name (an exact template fill that names that state, taken from
                 that state's page as generated, so the page it came from holds it too)

Usage:
    python bench/make_corpus.py OUT_DIR --pages 1000 [--seed 7]

Pages are numbered topic by topic (50 per topic), so ``--pages 1000`` is 20 topics and
``--pages 100`` is the first two topics of the same corpus: a smaller corpus is a prefix of a
larger one with the same seed. Formats rotate per topic (Markdown, text, HTML). The file
``OUT_DIR/manifest.json`` lists every page with its state, topic, format, size and the
defects planted in it, so benchmarks and tests can check recall against known counts.
``OUT_DIR/provenance.jsonl.gz`` (named in the manifest) has one JSON line per page: its path
and every sentence rendered on it as ``[kind, text]`` (kinds in ``SENTENCE_KINDS``: exact
template fills, paraphrased ones, state-specific prose, planted defects, ...), so
bench/run.py can measure recall per sentence. Recording it draws no random numbers: the
pages are the same bytes as before it existed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

# Defect rates: the probability that a page carries at least one instance.
DEFECT_RATES: dict[str, float] = {
    "cutoff": 0.25,
    "stale_date": 0.20,
    "relative": 0.50,
    "certainty": 0.40,
    "boilerplate": 0.50,
    "leak": 0.10,
}
PROVENANCE = "provenance.jsonl.gz"  # every page's sentences with their kind, next to manifest.json
SENTENCE_KINDS: dict[str, str] = {
    "template": "a template sentence of the topic (TEMPLATES) with this page's fillers, exactly",
    "paraphrase": "the same, lightly reworded (PARAPHRASES)",
    "specific": "state-specific prose from the actor/verb/object grammar",
    "detail": "state-specific prose from the county detail sentences (_DETAILS: a template with county fillers)",
    "opener": "an answer's opening sentence (OPENERS)",
    "closer": "an answer's closing sentence (CLOSERS)",
    "question": "a question heading (QUESTIONS)",
    "cutoff": "planted defect", "stale_date": "planted defect", "relative": "planted defect",
    "certainty": "planted defect", "boilerplate": "planted defect",
    "leak": "planted defect: a template sentence copied verbatim from the page about another state in the same series",
}
TEMPLATE_SHARE = 0.6  # share of answer sentences drawn from the topic's template sentences
PARAPHRASE_RATE = 0.15  # share of template sentences lightly reworded per instance


@dataclass(frozen=True)
class State:
    name: str
    legal: str  # citation abbreviation ("Ark.")
    capital: str
    agency: str
    snap: str
    medicaid: str
    legislature: str


def _state(name: str, legal: str, capital: str, agency: str = "Department of Human Services",
           snap: str = "SNAP", medicaid: str = "Medicaid", legislature: str = "Legislature") -> State:
    return State(name, legal, capital, agency, snap, medicaid, legislature)


STATES: tuple[State, ...] = (
    _state("Alabama", "Ala.", "Montgomery", "Department of Human Resources"),
    _state("Alaska", "Alaska", "Juneau", "Department of Health", medicaid="DenaliCare"),
    _state("Arizona", "Ariz.", "Phoenix", "Department of Economic Security", medicaid="AHCCCS"),
    _state("Arkansas", "Ark.", "Little Rock", legislature="General Assembly", medicaid="ARHOME"),
    _state("California", "Cal.", "Sacramento", "Department of Social Services", "CalFresh", "Medi-Cal"),
    _state("Colorado", "Colo.", "Denver", "Department of Human Services", medicaid="Health First Colorado",
           legislature="General Assembly"),
    _state("Connecticut", "Conn.", "Hartford", "Department of Social Services", medicaid="HUSKY Health",
           legislature="General Assembly"),
    _state("Delaware", "Del.", "Dover", "Department of Health and Social Services", legislature="General Assembly"),
    _state("Florida", "Fla.", "Tallahassee", "Department of Children and Families"),
    _state("Georgia", "Ga.", "Atlanta", "Department of Human Services", legislature="General Assembly"),
    _state("Hawaii", "Haw.", "Honolulu", "Department of Human Services", medicaid="Med-QUEST"),
    _state("Idaho", "Idaho", "Boise", "Department of Health and Welfare"),
    _state("Illinois", "Ill.", "Springfield", "Department of Human Services", legislature="General Assembly"),
    _state("Indiana", "Ind.", "Indianapolis", "Family and Social Services Administration", medicaid="Hoosier Healthwise",
           legislature="General Assembly"),
    _state("Iowa", "Iowa", "Des Moines", "Department of Health and Human Services", legislature="General Assembly"),
    _state("Kansas", "Kan.", "Topeka", "Department for Children and Families", medicaid="KanCare"),
    _state("Kentucky", "Ky.", "Frankfort", "Cabinet for Health and Family Services", legislature="General Assembly"),
    _state("Louisiana", "La.", "Baton Rouge", "Department of Children and Family Services"),
    _state("Maine", "Me.", "Augusta", "Department of Health and Human Services", medicaid="MaineCare"),
    _state("Maryland", "Md.", "Annapolis", "Department of Human Services", legislature="General Assembly"),
    _state("Massachusetts", "Mass.", "Boston", "Department of Transitional Assistance", medicaid="MassHealth",
           legislature="General Court"),
    _state("Michigan", "Mich.", "Lansing", "Department of Health and Human Services", "Food Assistance Program"),
    _state("Minnesota", "Minn.", "Saint Paul", "Department of Human Services", medicaid="Medical Assistance"),
    _state("Mississippi", "Miss.", "Jackson", "Department of Human Services"),
    _state("Missouri", "Mo.", "Jefferson City", "Department of Social Services", medicaid="MO HealthNet",
           legislature="General Assembly"),
    _state("Montana", "Mont.", "Helena", "Department of Public Health and Human Services"),
    _state("Nebraska", "Neb.", "Lincoln", "Department of Health and Human Services", legislature="Unicameral"),
    _state("Nevada", "Nev.", "Carson City", "Division of Welfare and Supportive Services"),
    _state("New Hampshire", "N.H.", "Concord", "Department of Health and Human Services",
           legislature="General Court"),
    _state("New Jersey", "N.J.", "Trenton", "Department of Human Services", medicaid="NJ FamilyCare"),
    _state("New Mexico", "N.M.", "Santa Fe", "Health Care Authority", medicaid="Centennial Care"),
    _state("New York", "N.Y.", "Albany", "Office of Temporary and Disability Assistance"),
    _state("North Carolina", "N.C.", "Raleigh", "Department of Health and Human Services", "Food and Nutrition Services",
           legislature="General Assembly"),
    _state("North Dakota", "N.D.", "Bismarck", "Department of Health and Human Services",
           legislature="Legislative Assembly"),
    _state("Ohio", "Ohio", "Columbus", "Department of Job and Family Services", legislature="General Assembly"),
    _state("Oklahoma", "Okla.", "Oklahoma City", "Department of Human Services", medicaid="SoonerCare"),
    _state("Oregon", "Or.", "Salem", "Department of Human Services", medicaid="Oregon Health Plan",
           legislature="Legislative Assembly"),
    _state("Pennsylvania", "Pa.", "Harrisburg", "Department of Human Services", legislature="General Assembly"),
    _state("Rhode Island", "R.I.", "Providence", "Department of Human Services", legislature="General Assembly"),
    _state("South Carolina", "S.C.", "Columbia", "Department of Social Services", medicaid="Healthy Connections",
           legislature="General Assembly"),
    _state("South Dakota", "S.D.", "Pierre", "Department of Social Services"),
    _state("Tennessee", "Tenn.", "Nashville", "Department of Human Services", medicaid="TennCare",
           legislature="General Assembly"),
    _state("Texas", "Tex.", "Austin", "Health and Human Services Commission"),
    _state("Utah", "Utah", "Salt Lake City", "Department of Workforce Services"),
    _state("Vermont", "Vt.", "Montpelier", "Department for Children and Families", "3SquaresVT", "Green Mountain Care",
           legislature="General Assembly"),
    _state("Virginia", "Va.", "Richmond", "Department of Social Services", medicaid="Cover Virginia",
           legislature="General Assembly"),
    _state("Washington", "Wash.", "Olympia", "Department of Social and Health Services", "Basic Food",
           "Apple Health"),
    _state("West Virginia", "W. Va.", "Charleston", "Department of Human Services"),
    _state("Wisconsin", "Wis.", "Madison", "Department of Health Services", "FoodShare", "BadgerCare Plus"),
    _state("Wyoming", "Wyo.", "Cheyenne", "Department of Family Services"),
)

# Topic subjects: "<noun phrase>" used inside questions and template sentences. Past the end
# of the list, topics get an audience qualifier so every topic has a distinct series title.
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("State Benefits Data Sharing With ICE", "the sharing of state benefits data with ICE"),
    ("Driver's Licenses for Undocumented Immigrants", "driver's licenses for undocumented immigrants"),
    ("REAL ID Requirements", "REAL ID requirements at the DMV"),
    ("SNAP Work Requirements", "SNAP work requirements for able-bodied adults"),
    ("Medicaid Eligibility for Green Card Holders", "Medicaid eligibility for green card holders"),
    ("In-State Tuition for DACA Recipients", "in-state tuition for DACA recipients"),
    ("Unemployment Benefits for Gig Workers", "unemployment benefits for gig workers"),
    ("Professional Licenses for Immigrants", "professional licensing for immigrants"),
    ("Sanctuary Policies", "sanctuary policies and cooperation with ICE"),
    ("E-Verify Requirements", "E-Verify requirements for employers"),
    ("Public Charge Rules", "the public charge rule and state benefits"),
    ("Child Care Assistance", "child care assistance for immigrant families"),
    ("Housing Assistance", "housing assistance for mixed-status families"),
    ("Workers' Compensation for Undocumented Workers", "workers' compensation for undocumented workers"),
    ("Voter ID Laws", "voter identification requirements"),
    ("Language Access in State Agencies", "language access services in state agencies"),
    ("Refugee Resettlement Services", "refugee resettlement services"),
    ("Health Insurance Marketplace Access", "health insurance marketplace access for lawfully present immigrants"),
    ("State ID Cards", "state identification cards for residents without documents"),
    ("Detention Contracts With County Jails", "immigration detention contracts with county jails"),
)
AUDIENCES: tuple[str, ...] = (
    "for Seniors", "for Students", "for Veterans", "for Farmworkers", "for Families", "for Employers",
    "in Rural Counties", "for Asylum Seekers", "for Minors", "for Tribal Members",
)

QUESTIONS: tuple[str, ...] = (
    "What is the current policy in {state} regarding {topic}?",
    "How does the process of {topic} work in {state}?",
    "What are the legal implications of {topic} in {state}?",
    "Are there any privacy concerns related to {topic} in {state}?",
    "Are there any safeguards in place to protect individuals in {state} when it comes to {topic}?",
    "How is the decision-making process regarding {topic} conducted in {state}?",
    "What are the potential consequences for individuals affected by {topic} in {state}?",
    "Are there any oversight mechanisms in place to monitor {topic} in {state}?",
    "How is information about {topic} communicated to residents of {state}?",
    "What are the benefits of {topic} for {state}?",
    "Are there any alternative approaches to {topic} that have been considered in {state}?",
    "How does {topic} align with {state}'s immigration policies?",
    "How does {topic} impact state resources and administrative processes in {state}?",
    "Have there been any recent changes to {topic} in {state}?",
    "What role do local governments play in {topic} in {state}?",
    "Are there any legal challenges to {topic} in {state}?",
    "How transparent is {state} about {topic}?",
    "What do advocates and critics say about {topic} in {state}?",
)

# Template sentences of the series skeleton. Slots: {state} {capital} {agency} {snap}
# {medicaid} {cite} {topic} {legislature} {number} {year}.
TEMPLATES: tuple[str, ...] = (
    "In {state}, {topic} is governed by state laws and regulations administered by the {state} {agency}.",
    "The {state} {agency}, which administers programs such as {snap} and {medicaid}, oversees {topic}.",
    "State law, including {cite}, sets out the conditions under which information may be disclosed.",
    "Federal law such as 8 U.S.C. § 1373 and the Personal Responsibility and Work Opportunity Reconciliation Act (Pub. L. 104-193) also plays a role.",
    "Individuals in {state} may be hesitant to apply for programs such as {snap} or {medicaid} because of concerns about {topic}.",
    "The {state} {legislature} can enact laws or regulations to govern {topic}.",
    "Officials in {capital} have discussed {topic} with advocacy groups, agency staff and federal partners.",
    "Access to sensitive information is typically limited to authorized personnel within the {state} {agency}.",
    "Data sharing agreements in {state} outline the purpose and scope of the sharing, as well as the protections for confidentiality.",
    "Advocates in {state} argue that {topic} can erode trust between immigrant communities and state agencies.",
    "Supporters in {state} say that {topic} promotes compliance with federal law and efficient use of public funds.",
    "The {state} {agency} reported about {number} requests related to {topic} in {year}.",
    "Residents can contact the {state} {agency} in {capital} or visit a local office for information about {topic}.",
    "Courts in {state} have considered challenges under {cite} and related provisions, e.g. claims about notice and consent.",
    "Local governments in {state} may adopt their own policies on {topic} within the limits set by state law.",
    "The policies of the {state} {agency} on {topic} are subject to change based on state laws and agreements with federal agencies.",
    "Program rules for {snap} and {medicaid} in {state} require agencies to protect applicant information.",
    "Some counties in {state} have issued guidance on {topic} that goes beyond the statewide rules.",
    "The {state} {legislature} last considered a bill on {topic} in {year}, but it did not pass.",
    "Applicants for {medicaid} in {state} are told how their information may be used at the time of application.",
)
OPENERS: tuple[str, ...] = (
    "In {state}, {topic} involves several agencies and a mix of state and federal rules.",
    "{topic_cap} in {state} raises several questions that must be carefully considered.",
    "There are several important aspects of {topic} in {state}.",
    "{topic_cap} in {state} can have significant effects on individuals and agencies.",
)
CLOSERS: tuple[str, ...] = (
    "Overall, {topic} in {state} requires a balance between enforcement priorities and the privacy of residents.",
    "In conclusion, {state} continues to weigh the costs and benefits of {topic}.",
    "These factors together shape how {topic} works in {state}.",
    "Ultimately, the approach {state} takes to {topic} reflects its legal framework and political priorities.",
)
LIST_LABELS: tuple[str, ...] = (
    "Privacy Laws", "Data Security Measures", "Restricted Access", "Compliance and Oversight", "Public Input",
    "Legal Challenges", "Administrative Burden", "Community Trust", "Federal Requirements", "Local Policies",
    "Transparency", "Training", "Audit Trails", "Notice to Applicants", "Data Minimization", "Accountability",
)
PARAPHRASES: tuple[tuple[str, str], ...] = (
    ("governed by", "regulated by"), ("oversees", "is responsible for"), ("typically", "generally"),
    ("may", "might"), ("argue", "contend"), ("say", "maintain"), ("information", "data"),
    ("individuals", "people"), ("discussed", "debated"), ("require", "oblige"), ("limited", "restricted"),
    ("issued guidance", "published guidance"), ("about", "roughly"), ("contact", "reach out to"),
)

# Defect sentences (what the rules should find).
CUTOFFS: tuple[str, ...] = (
    "As of my last update, there are restrictions on {topic} in {state}.",
    "As of my most recent data, {state} has not published a complete policy on {topic}.",
    "As of the most recent information available, there have been ongoing discussions in {state} about {topic}.",
    "As of my last knowledge update, the {state} {agency} had not changed its approach to {topic}.",
)
STALE_DATES: tuple[str, ...] = (
    "As of 2021, {state} has not implemented any specific changes to {topic}.",
    "As of September 2021, the {state} {agency} was reviewing its rules on {topic}.",
    "As of October 2021, no court in {state} had ruled on {topic}.",
    "As of 2020, the {state} {legislature} had not taken up {topic}.",
)
RELATIVES: tuple[str, ...] = (
    "Currently, in {state}, there are oversight mechanisms in place to monitor {topic}.",
    "The {state} {agency} is currently reviewing its procedures for {topic}.",
    "{state} has recently updated its guidance on {topic}.",
    "At present, the {state} {legislature} is considering changes to {topic}.",
)
CERTAINTIES: tuple[str, ...] = (
    "Yes, there are safeguards in place to protect the personal information of individuals in {state}.",
    "Yes, there are privacy concerns related to {topic} in {state}.",
    "No, {state} does not allow {topic} without a court order.",
    "There are strict protocols in place to prevent unauthorized access to data in {state}.",
)
BOILERPLATES: tuple[str, ...] = (
    "It is important to note that {topic} in {state} is subject to change based on state laws and policies.",
    "It is essential to note that policies related to {topic} may evolve over time.",
    "It is worth noting that the exact procedures for {topic} in {state} may vary by agency.",
    "For the most up-to-date information, it is advisable to consult the {state} {agency}.",
)

# Genuinely state-specific prose: a small grammar with a large vocabulary, seeded per page.
_ACTORS = (
    "the {capital} field office", "a coalition of county clerks", "the state auditor", "a legal aid clinic in {capital}",
    "the governor's office", "a task force of agency directors", "the attorney general", "school district officials",
    "a group of community health centers", "the state ombudsman", "a regional food bank network",
    "two members of the {legislature}", "the {state} bar association", "hospital administrators",
    "a tenants' union", "faith leaders in {capital}", "the public defender's office", "labor organizers",
)
_VERBS = (
    "published a report on", "held hearings about", "raised objections to", "proposed a pilot for",
    "collected testimony about", "filed a records request concerning", "issued a memo on", "commissioned a survey on",
    "drafted model language for", "questioned the cost of", "asked for a review of", "organized workshops about",
    "tracked complaints about", "documented delays in", "recommended changes to", "released data on",
)
_OBJECTS = (
    "intake interviews", "eligibility notices", "renewal letters", "interpreter services", "appeal hearings",
    "caseworker training", "records retention", "county data systems", "consent forms", "outreach materials",
    "processing backlogs", "identity verification", "benefit redeterminations", "fee waivers", "call center wait times",
    "mobile enrollment events", "paper applications", "privacy notices",
)
_WHEN = (
    "in the spring of {year}", "after a series of town halls", "during the {year} session", "late in {year}",
    "following a budget shortfall", "after a court settlement", "ahead of the {year} elections",
    "during a statewide audit", "after local news coverage", "at a joint committee meeting",
)
_RESULTS = (
    "which led to a revised form", "and the findings were shared with county offices", "but no rule change followed",
    "and several counties adopted the recommendations", "prompting a second review", "and the agency extended deadlines",
    "which drew comments from dozens of residents", "and a follow-up is planned", "though the results were mixed",
    "and the legislature funded a small pilot",
)
_DETAILS = (
    "In {county} County, {share} percent of applicants asked for materials in a language other than English.",
    "The average wait for an eligibility decision in {county} County was {days} days.",
    "{county} County reported {number} completed applications through its mobile unit.",
    "A {year} survey of {number} households in {county} County found that {share} percent were unaware of their rights.",
    "Staff turnover at the {county} County office reached {share} percent, slowing {object}.",
    "Residents near {capital} can attend monthly information sessions on {object}.",
)
_COUNTIES = (
    "Adams", "Benton", "Clark", "Douglas", "Franklin", "Grant", "Hamilton", "Jackson", "Jefferson", "Lincoln",
    "Madison", "Marion", "Monroe", "Morgan", "Polk", "Union", "Warren", "Washington", "Wayne", "Lake",
)

_TOKEN = re.compile(r"\{(\w+)\}")


@dataclass
class Page:
    state: State
    topic_index: int
    title: str
    topic: str
    rng: random.Random
    corpus_seed: int = 7
    # True while the page is generated only to copy a sentence from it (see _copied_sentence):
    # its own leak is then not planted (no recursion), every other sentence is the same.
    copy_source: bool = False
    defects: dict[str, int] = field(default_factory=dict)
    # Provenance: (kind, text) of every sentence rendered, in the order generated (see SENTENCE_KINDS).
    sentences: list[tuple[str, str]] = field(default_factory=list)


def page_seed(seed: int, topic_index: int, state: State) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}/{topic_index}/{state.name}".encode()).digest()[:8], "big")


def _copied_sentence(page: Page, leak_rng: random.Random) -> str:
    """A sentence of the page about another state of this series that names that state.

    What an editor leaves behind when a paragraph is copied from a sibling page and the name is
    not swapped: an exact template fill from that page as generated (its own citation numbers
    and all), so the sentence is on the source page too, as in the seeds' Arkansas/Mississippi
    case. The other state and the sentence come from ``leak_rng``: the page's own random stream
    draws the same numbers with or without a leak, so a source page generated here is
    sentence for sentence the page written to disk (but for its own leak, if any).
    """
    others = [s for s in STATES if s is not page.state]
    leak_rng.shuffle(others)
    for other in others:
        rng = random.Random(page_seed(page.corpus_seed, page.topic_index, other))
        source = Page(other, page.topic_index, page.title, page.topic, rng, page.corpus_seed, copy_source=True)
        build_sections(source)
        names_other = re.compile(rf"(?<![\w-]){re.escape(other.name)}(?![\w-])")
        candidates = [text for kind, text in source.sentences if kind == "template" and names_other.search(text)]
        if candidates:
            return leak_rng.choice(candidates)
    raise AssertionError("no page of the series names its state in a template sentence")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def topic_for(index: int) -> tuple[str, str]:
    title, phrase = SUBJECTS[index % len(SUBJECTS)]
    round_ = index // len(SUBJECTS)
    if round_ == 0:
        return title, phrase
    audience = AUDIENCES[(round_ - 1) % len(AUDIENCES)]
    return f"{title} {audience}", f"{phrase} {audience.lower()}"


def format_for(index: int) -> str:
    return ("md", "txt", "html", "md", "txt")[index % 5]


def _fill(template: str, page: Page) -> str:
    state = page.state
    rng = page.rng
    values = {
        "state": state.name,
        "capital": state.capital,
        "agency": state.agency,
        "snap": state.snap,
        "medicaid": state.medicaid,
        "legislature": state.legislature,
        "cite": f"{state.legal} Code Ann. § {rng.randint(1, 40)}-{rng.randint(1, 99)}-{rng.randint(100, 999)}",
        "topic": page.topic,
        "topic_cap": page.topic[0].upper() + page.topic[1:],
        "number": f"{rng.randint(12, 9000):,}",
        "year": str(rng.randint(2015, 2024)),
        "county": rng.choice(_COUNTIES),
        "share": str(rng.randint(3, 61)),
        "days": str(rng.randint(9, 75)),
        "object": rng.choice(_OBJECTS),
    }
    return _TOKEN.sub(lambda m: values[m.group(1)], template)


def _paraphrase(sentence: str, rng: random.Random) -> str:
    swaps = [pair for pair in PARAPHRASES if re.search(rf"\b{re.escape(pair[0])}\b", sentence)]
    for old, new in rng.sample(swaps, min(len(swaps), rng.randint(1, 3))):
        sentence = re.sub(rf"\b{re.escape(old)}\b", new, sentence, count=1)
    return sentence


def _rendered(page: Page, kind: str, text: str) -> str:
    """``text``, recorded as a sentence of ``kind`` on the page (no random draw: pages stay byte-identical)."""
    page.sentences.append((kind, text))
    return text


def _specific(page: Page) -> str:
    rng = page.rng
    if rng.random() < 0.35:
        return _rendered(page, "detail", _fill(rng.choice(_DETAILS), page))
    actor = _fill(rng.choice(_ACTORS), page)
    sentence = (
        f"{actor[0].upper()}{actor[1:]} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"{_fill(rng.choice(_WHEN), page)}, {rng.choice(_RESULTS)}."
    )
    return _rendered(page, "specific", sentence)


def _template(page: Page, templates: tuple[str, ...]) -> str:
    filled = _fill(page.rng.choice(templates), page)
    sentence = filled
    if page.rng.random() < PARAPHRASE_RATE:
        sentence = _paraphrase(filled, page.rng)
    # A paraphrase draw that found nothing to reword leaves the exact fill: recorded as such.
    return _rendered(page, "template" if sentence == filled else "paraphrase", sentence)


def _sentence(page: Page, templates: tuple[str, ...]) -> str:
    if page.rng.random() < TEMPLATE_SHARE:
        return _template(page, templates)
    return _specific(page)


def _plan_defects(page: Page) -> list[tuple[str, str]]:
    """The defect sentences of this page, each with its kind, in a page-specific order."""
    rng = page.rng
    leak_rng = random.Random(f"{page.corpus_seed}/{page.topic_index}/{page.state.name}/leak")
    planted: list[tuple[str, str]] = []
    pools = {
        "cutoff": CUTOFFS, "stale_date": STALE_DATES, "relative": RELATIVES,
        "certainty": CERTAINTIES, "boilerplate": BOILERPLATES,
    }
    for kind, rate in DEFECT_RATES.items():
        if rng.random() >= rate:
            continue
        count = 1 if kind in ("cutoff", "stale_date", "leak") else rng.randint(1, 3)
        for _ in range(count):
            if kind == "leak":
                text = "(a sentence copied from another page)" if page.copy_source else _copied_sentence(page, leak_rng)
            else:
                text = _fill(rng.choice(pools[kind]), page)
            planted.append((kind, text))
            page.defects[kind] = page.defects.get(kind, 0) + 1
    rng.shuffle(planted)
    return planted


def build_sections(page: Page) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(question, [(block kind, sentences)]) for every section of the page."""
    rng = page.rng
    topic_rng = random.Random(page.topic_index * 7919)  # the series skeleton: same for every state
    questions = topic_rng.sample(QUESTIONS, topic_rng.randint(10, 13))
    templates = tuple(topic_rng.sample(TEMPLATES, 14))
    defects = _plan_defects(page)
    sections = []
    for number, question in enumerate(questions):
        if rng.random() < 0.08 and number:  # a state page occasionally skips a question
            continue
        blocks: list[tuple[str, list[str]]] = []
        opener_text = _fill(rng.choice(OPENERS), page)
        if defects and rng.random() < 0.45:
            opener = [_rendered(page, *defects.pop())]
        else:
            opener = [_rendered(page, "opener", opener_text)]
        opener += [_sentence(page, templates) for _ in range(rng.randint(1, 3))]
        blocks.append(("p", opener))
        if rng.random() < 0.6:
            for label in rng.sample(LIST_LABELS, rng.randint(3, 5)):
                item = [_sentence(page, templates) for _ in range(rng.randint(1, 3))]
                blocks.append(("li", [f"{label}: {item[0]}", *item[1:]]))
        else:
            for _ in range(rng.randint(1, 3)):
                blocks.append(("p", [_sentence(page, templates) for _ in range(rng.randint(2, 4))]))
        if defects and rng.random() < 0.3:
            blocks.append(("p", [_rendered(page, *defects.pop()), _sentence(page, templates)]))
        blocks.append(("p", [_rendered(page, "closer", _fill(rng.choice(CLOSERS), page))]))
        sections.append((_rendered(page, "question", _fill(question, page)), blocks))
    while defects:  # whatever was not placed goes in the last answer
        sections[-1][1].insert(-1, ("p", [_rendered(page, *defects.pop())]))
    return sections


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(page: Page, extension: str, wrap: bool) -> str:
    sections = build_sections(page)
    heading = f"{page.title} in {page.state.name}"
    out: list[str] = []
    if extension == "md":
        out.append(f"---\ntitle: \"{heading}\"\nstate: {page.state.name}\n---\n\n# {heading}\n")
        for number, (question, blocks) in enumerate(sections, 1):
            out.append(f"## {number}. {question}\n")
            item_number = 0
            for kind, sentences in blocks:
                text = " ".join(sentences)
                if kind == "li":
                    item_number += 1
                    prefix = f"{item_number}. "
                    body = textwrap.fill(text, 80, initial_indent=prefix, subsequent_indent="   ") if wrap else prefix + text
                    out.append(body)
                else:
                    if item_number:
                        out.append("")
                        item_number = 0
                    out.append((textwrap.fill(text, 80) if wrap else text) + "\n")
            if item_number:
                out.append("")
    elif extension == "txt":
        out.append(f"Categories Federal Government\n\n{heading}\n")
        for number, (question, blocks) in enumerate(sections, 1):
            out.append(f"{number}. {question}\n")
            item_number = 0
            for kind, sentences in blocks:
                text = " ".join(sentences)
                if kind == "li":
                    item_number += 1
                    out.append(f"{item_number}. {text}\n")
                else:
                    out.append(f"{text}\n")
    else:
        out.append(
            f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_escape_html(heading)}</title>\n</head>\n<body>\n<article>\n<h1>{_escape_html(heading)}</h1>"
        )
        for number, (question, blocks) in enumerate(sections, 1):
            out.append(f"<h2>{number}. {_escape_html(question)}</h2>")
            in_list = False
            for kind, sentences in blocks:
                text = _escape_html(" ".join(sentences))
                if kind == "li" and not in_list:
                    out.append("<ol>")
                    in_list = True
                elif kind != "li" and in_list:
                    out.append("</ol>")
                    in_list = False
                out.append(f"<li>{text}</li>" if kind == "li" else f"<p>{text}</p>")
            if in_list:
                out.append("</ol>")
        out.append("</article>\n</body>\n</html>")
    return "\n".join(out) + "\n"


def generate(out_dir: Path, pages: int, seed: int) -> dict[str, object]:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_pages = []
    # Sentence provenance, one JSON line per page, gzip-compressed with a fixed timestamp (the same
    # bytes for the same corpus): about 1.3 kB per page (20 kB as plain JSON), kept out of manifest.json.
    provenance = gzip.GzipFile(out_dir / PROVENANCE, "wb", compresslevel=6, mtime=0)
    totals = dict.fromkeys(DEFECT_RATES, 0)
    total_bytes = 0
    for index in range(pages):
        topic_index, state_index = divmod(index, len(STATES))
        state = STATES[state_index]
        title, phrase = topic_for(topic_index)
        page = Page(state, topic_index, title, phrase, random.Random(page_seed(seed, topic_index, state)), seed)
        extension = format_for(topic_index)
        wrap = extension == "md" and topic_index % 2 == 1
        text = render(page, extension, wrap)
        relative = f"{topic_index:03d}-{_slug(title)}/{_slug(state.name)}.{extension}"
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total_bytes += len(data)
        for kind, count in page.defects.items():
            totals[kind] += count
        kinds = [kind for kind, _ in page.sentences]
        manifest_pages.append(
            {"path": relative, "state": state.name, "topic": title, "format": extension, "bytes": len(data),
             "defects": page.defects,
             "template_sentences": {"exact": kinds.count("template"), "paraphrased": kinds.count("paraphrase")}}
        )
        line = {"path": relative, "sentences": [list(pair) for pair in page.sentences]}
        provenance.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
    provenance.close()
    manifest: dict[str, object] = {
        "seed": seed, "pages": pages, "bytes": total_bytes, "defect_rates": DEFECT_RATES,
        "defect_totals": totals, "provenance": PROVENANCE, "sentence_kinds": SENTENCE_KINDS, "files": manifest_pages,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="directory to write the corpus into")
    parser.add_argument("--pages", type=int, default=1000, help="number of pages, 100 to 10000 (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    arguments = parser.parse_args(argv)
    if not 1 <= arguments.pages <= 10_000:
        parser.error("--pages must be between 1 and 10000")
    manifest = generate(arguments.out_dir, arguments.pages, arguments.seed)
    size = int(manifest["bytes"])  # type: ignore[call-overload]
    print(f"wrote {arguments.pages} pages, {size / 1e6:.1f} MB, to {arguments.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Who said what in short English articles: the constructions the extractor handles.

Each case is a small article of two or three sentences; the extractor (real model, one per
session) must find a statement containing the expected words, of the expected kind, from
the expected speaker under its canonical (fullest) name.  The English twin of
test_extract_fr.py: the same contract, the same table.
"""
from __future__ import annotations

import pytest

# (id, article, speaker, kind, words inside the statement)
CASES = [
    ("quote-said-name",
     "The mayor of Boston presented his transport plan on Tuesday. \u201cWe will double the number of bike "
     "lanes by 2026,\u201d said Michelle Wu. Work will begin in the autumn.",
     "Michelle Wu", "direct", "We will double the number of bike lanes"),
    ("quote-name-said",
     "The minister spoke in parliament on Monday. \u201cThe situation is serious,\u201d Rishi Sunak said. "
     "MPs will vote next week.",
     "Rishi Sunak", "direct", "The situation is serious"),
    ("straight-quotes-name-said",
     "Storms hit the coast overnight. \"We have never seen anything like it,\" Mary Jones told reporters. "
     "Power was restored by noon.",
     "Mary Jones", "direct", "We have never seen anything like it"),
    ("quote-said-role-and-name",
     "\u201cWe will never give up,\u201d said Prime Minister Theresa May in front of Parliament. "
     "The vote is on Tuesday.",
     "Theresa May", "direct", "We will never give up"),
    ("name-said-that",
     "The health secretary visited a hospital in Leeds on Monday. Sajid Javid said that emergency "
     "departments would receive extra funding from January. Unions remain sceptical.",
     "Sajid Javid", "indirect", "emergency departments would receive extra funding"),
    ("name-said-without-that",
     "The report was published on Tuesday. Thomas Piketty said inequality is rising across Europe. "
     "The government did not react.",
     "Thomas Piketty", "indirect", "inequality is rising across Europe"),
    ("name-told-reporters-that",
     "The talks ended late on Friday. Antony Blinken told reporters that the ceasefire would hold. "
     "Fighting resumed on Sunday.",
     "Antony Blinken", "indirect", "the ceasefire would hold"),
    ("name-told-reporters-without-that",
     "The talks ended late on Friday. Antony Blinken told reporters the ceasefire would hold. "
     "Fighting resumed on Sunday.",
     "Antony Blinken", "indirect", "the ceasefire would hold"),
    ("name-added",
     "Janet Yellen spoke at the Treasury on Monday. She added that inflation would fall next year.",
     "Janet Yellen", "indirect", "inflation would fall next year"),
    ("inverted-content-said-name",
     "Unemployment fell again in the third quarter. Growth will exceed 2 % next year, said Bruno Le Maire. "
     "The opposition disputes the figures.",
     "Bruno Le Maire", "indirect", "Growth will exceed 2 % next year"),
    ("inverted-content-name-said",
     "Unemployment fell again in the third quarter. Growth will exceed 2 % next year, Bruno Le Maire said. "
     "The opposition disputes the figures.",
     "Bruno Le Maire", "indirect", "Growth will exceed 2 % next year"),
    ("according-to-name",
     "Unemployment fell again in the third quarter. According to Bruno Le Maire, growth will exceed 2 % "
     "next year. The opposition disputes the figures.",
     "Bruno Le Maire", "indirect", "growth will exceed 2 % next year"),
    ("according-to-after",
     "ECB President Christine Lagarde spoke in Frankfurt. Inflation will fall in 2024, according to the "
     "president of the ECB.",
     "Christine Lagarde", "indirect", "Inflation will fall in 2024"),
    ("according-to-statement-of-organisation",
     "The club sacked its coach. According to a statement from Arsenal, the decision was taken "
     "by mutual agreement.",
     "Arsenal", "indirect", "the decision was taken by mutual agreement"),
    ("says-present-tense",
     "The study was released on Monday. Professor Cres Eastman says iodine deficiency is a serious problem.",
     "Cres Eastman", "indirect", "iodine deficiency is a serious problem"),
    ("split-quote-one-statement",
     "Emmanuel Macron visited a factory in Lille. \u201cThis factory,\u201d he said, \u201cis a model for "
     "the whole of France.\u201d He then met the workers.",
     "Emmanuel Macron", "direct", "This factory,\u201d he said, \u201cis a model for the whole of France"),
    ("pronoun-he-indirect",
     "Government spokesman Gabriel Attal held a press briefing on Wednesday. He said the reform would be "
     "presented to the cabinet in June.",
     "Gabriel Attal", "indirect", "the reform would be presented to the cabinet in June"),
    ("pronoun-she-apposition",
     "The head teacher, Sophie Martin, addressed the parents. She explained that classes would resume on "
     "Monday. The parents were relieved.",
     "Sophie Martin", "indirect", "classes would resume on Monday"),
    ("pronoun-she-after-he",
     "Jeff Rathke met Anna Smith on Monday. Smith said she felt the talks had gone well. She said the "
     "deal would be signed in May.",
     "Anna Smith", "indirect", "the deal would be signed in May"),
    ("pronoun-colon-quote",
     "Prime Minister Edouard Philippe presented his reform. He said: \u201cWe will see it through.\u201d "
     "The unions called a strike.",
     "Edouard Philippe", "direct", "We will see it through"),
    ("floating-quote-continues-speaker",
     "\u201cWe will rebuild,\u201d said Governor Andrew Cuomo. \u201cThis state has come back from worse "
     "storms than this one and it will come back again.\u201d",
     "Andrew Cuomo", "direct", "This state has come back from worse storms"),
    ("role-resolution-the-minister",
     "Health Minister Olivier Veran announced new restrictions on Tuesday. \u201cWe must slow the epidemic "
     "down,\u201d the minister said. Bars will close at 10 pm.",
     "Olivier Veran", "direct", "We must slow the epidemic down"),
    ("role-resolution-the-spokesman",
     "Kremlin spokesman Dmitry Peskov spoke to journalists on Friday. The document is being prepared, "
     "the spokesman said.",
     "Dmitry Peskov", "indirect", "The document is being prepared"),
    ("role-and-name-subject",
     "Moscow will present a document on security guarantees. The Kremlin spokesman Dmitry Peskov said "
     "the document was being prepared.",
     "Dmitry Peskov", "indirect", "the document was being prepared"),
    ("surname-alone-inverted",
     "Russian President Vladimir Putin travelled to St Petersburg on Tuesday. \u201cRussia will not give "
     "in to pressure,\u201d Putin told the press.",
     "Vladimir Putin", "direct", "Russia will not give in to pressure"),
    ("surname-alone-two-speakers",
     "Joe Biden spoke with Vladimir Putin. \u201cWe do not want an escalation,\u201d said Biden. "
     "Putin replied that Russia would defend itself.",
     "Vladimir Putin", "indirect", "Russia would defend itself"),
    ("mixed-quoted-fragment",
     "Harry Kane scored twice on Sunday. Kane said the team had \u201cmade a lot of progress\u201d "
     "this season. The club leads the league.",
     "Harry Kane", "mixed", "made a lot of progress"),
    ("unnamed-source",
     "A police spokesman said that three people had been arrested. The investigation continues.",
     "police spokesman", "indirect", "three people had been arrested"),
    ("organisation-subject",
     "The World Health Organization published its annual report. The WHO warned that the pandemic was "
     "not over.",
     "WHO", "indirect", "the pandemic was not over"),
    ("organisation-pronoun-it",
     "Microsoft released a new browser on Friday. It said the browser would be faster than its rivals.",
     "Microsoft", "indirect", "the browser would be faster than its rivals"),
    ("group-speaker",
     "The storm hit the town overnight. Residents said the water rose within minutes.",
     "Residents", "indirect", "the water rose within minutes"),
    ("said-number-subject",
     "The charity published its accounts on Monday. Jane Porter, treasurer of the fund, said 300 schools "
     "received grants last year.",
     "Jane Porter", "indirect", "300 schools received grants"),
    ("according-to-without-comma",
     "The storm reached the coast on Sunday. According to the Coast Guard over 40 boats have been damaged "
     "in the harbour.",
     "Coast Guard", "indirect", "over 40 boats have been damaged"),
    ("according-to-quoting-relay",
     "Tension rose along the border. According to Reuters, quoting local officials, the army has been "
     "placed on alert.",
     "Reuters", "indirect", "the army has been placed on alert"),
    ("participle-cue-before-subject",
     "The visas were refused in June. Citing security rules, British officials have not explained the "
     "decision.",
     "British officials", "indirect", "security rules"),
    ("told-addressee-after-apposition",
     "The inquiry opened on Monday. Paul Reed, a spokesman for the county police, told the Gazette that "
     "two suspects had been questioned.",
     "Paul Reed", "indirect", "two suspects had been questioned"),
]


@pytest.mark.parametrize("name, text, speaker, kind, words", CASES, ids=[c[0] for c in CASES])
def test_who_said_what(extract_en, name: str, text: str, speaker: str, kind: str, words: str) -> None:
    statements = extract_en(text).statements
    found = [s for s in statements if words in s.text]
    assert found, f"no statement with {words!r}; got {[(s.speaker, s.text) for s in statements]}"
    assert (found[0].speaker, found[0].kind) == (speaker, kind)
    assert text[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize("text", [
    "The company has been told to pay a fine.",
    "He declined to say whether the talks would resume.",
    "The film, called \u201cThe Long Road Home\u201d, opens on Friday.",
    "They studied a river called Blue Creek (named \u201cthe vein\u201d by locals) for a year.",
], ids=["passive", "declined-to-say", "quoted-title", "participle-naming"])
def test_not_statements(extract_en, text: str) -> None:
    """Passives, refusals to speak and quoted titles are not statements with a source."""
    assert [(s.speaker, s.text) for s in extract_en(text).statements if s.speaker] == []


ARTICLES = {c[0]: c[1] for c in CASES}


@pytest.mark.parametrize("text, speaker, speaker_type", [
    (ARTICLES["quote-said-name"], "Michelle Wu", "person"),
    (ARTICLES["pronoun-he-indirect"], "Gabriel Attal", "person"),
    (ARTICLES["according-to-statement-of-organisation"], "Arsenal", "organisation"),
    (ARTICLES["organisation-subject"], "WHO", "organisation"),
    (ARTICLES["group-speaker"], "Residents", "group"),
], ids=["person", "person-through-pronoun", "organisation-according-to", "organisation-subject", "group"])
def test_speaker_type(extract_en, text: str, speaker: str, speaker_type: str) -> None:
    types = {s.speaker: s.speaker_type for s in extract_en(text).statements}
    assert types.get(speaker) == speaker_type


def test_cue_and_mention_point_into_the_text(extract_en) -> None:
    text = ARTICLES["role-and-name-subject"]
    s = next(s for s in extract_en(text).statements if s.speaker == "Dmitry Peskov")
    assert s.mention is not None and s.mention.text == "The Kremlin spokesman Dmitry Peskov"
    assert s.cue is not None and s.cue.text == "said"
    for span in (s, s.mention, s.cue):
        assert text[span.start:span.end] == span.text


# Constructions added later: (id, article, speaker, kind, words inside the statement, words it must not hold)
MORE_CASES = [
    ("according-to-after-sentence-opening-on-a-number",
     "The ferry carried 50 passengers. 12 people are still missing, according to the coast guard. "
     "The search continues.",
     "coast guard", "indirect", "12 people are still missing", "ferry"),
    ("but-according-to-opens-a-new-clause",
     "The council approved the budget on Monday, but according to the city auditor, the deficit will grow "
     "next year.",
     "city auditor", "indirect", "the deficit will grow next year", "council"),
    ("participle-after-publishing-verb",
     "The charity Oxfam published a report on Monday saying that inequality had risen sharply.",
     "Oxfam", "indirect", "inequality had risen sharply", "report"),
    ("participle-subject-of-governing-verb",
     "Protesters blocked the road for hours, saying that the plant would pollute the river.",
     "Protesters", "indirect", "the plant would pollute the river", "blocked"),
    ("object-content-ends-before-coordinated-verb",
     "Greenpeace confirmed the reports and has filed a complaint.",
     "Greenpeace", "indirect", "the reports", "complaint"),
    ("in-the-words-of-role-name-then-quotation",
     "The baby was very ill by the end, and in the words of the Crown prosecutor, Jane Hill, QC, \u201cshe spent "
     "the last months of her life crying.\u201d The trial continues.",
     "Jane Hill", "direct", "she spent the last months of her life crying", "baby"),
    ("inverted-cue-without-comma",
     "The fire spread quickly but the school was empty said the fire department. Classes resume on Monday.",
     "fire department", "indirect", "the school was empty", "said"),
    ("as-clause-cue-before-its-content",
     "As the minister told reporters on Monday, the bridge will reopen next spring.",
     "minister", "indirect", "the bridge will reopen next spring", "told"),
    ("as-clause-named-source",
     "As Helen Clark noted, the tax has never been popular with farmers.",
     "Helen Clark", "indirect", "the tax has never been popular", "noted"),
]


@pytest.mark.parametrize("name, text, speaker, kind, words, absent", MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_who_said_what_more(extract_en, name: str, text: str, speaker: str, kind: str, words: str, absent: str) -> None:
    statements = extract_en(text).statements
    found = [s for s in statements if words in s.text]
    assert found, f"no statement with {words!r}; got {[(s.speaker, s.text) for s in statements]}"
    assert (found[0].speaker, found[0].kind) == (speaker, kind)
    assert absent not in found[0].text
    assert text[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize("text", [
    "As expected, the bridge reopened on Monday after two years of work.",
    "As the river rose, residents left their homes and the roads were closed.",
], ids=["as-expected-is-no-source", "as-clause-without-a-cue"])
def test_as_clause_without_a_source_is_no_statement(extract_en, text: str) -> None:
    assert extract_en(text).statements == ()


# a woman named with her title, a man named after her: « she » in the next sentences is her
GENDER_CASES = [
    ("Mrs Patel met the mayor, John Carter, on Monday. Carter said the talks had gone well. "
     "She said the agreement would be signed next week.", "the agreement would be signed", "Patel"),
    ("Ms Jones thanked David Brown for his help. Brown told reporters the project was on time. "
     "She said funding was secure.", "funding was secure", "Jones"),
    ("The chairwoman, Anne Miller, introduced Peter Hall. Hall said the plan was sound. "
     "She added that a vote would follow.", "a vote would follow", "Anne Miller"),
    ("Queen Elizabeth greeted President Obama. Obama said the relationship was strong. "
     "She said it would remain so.", "it would remain so", "Elizabeth"),
]


@pytest.mark.parametrize("text, words, speaker", GENDER_CASES)
def test_she_is_the_woman_named_before(extract_en, text, words, speaker):
    art = extract_en(text)
    s = next(s for s in art.statements if words in s.text)
    assert speaker in (s.speaker or "")

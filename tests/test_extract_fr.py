"""Who said what in short French articles: the constructions the extractor handles.

Each case is a small article of two or three sentences; the extractor (real model, one per
session) must find a statement containing the expected words, of the expected kind, from
the expected speaker under its canonical (fullest) name.
"""
from __future__ import annotations

import pytest

# (id, article, speaker, kind, words inside the statement)
CASES = [
    ("quote-a-declare-name",
     "Le maire de Lyon a présenté mardi son plan pour les transports. « Nous doublerons le nombre de pistes "
     "cyclables d'ici 2026 », a déclaré Grégory Doucet. Les travaux commenceront à l'automne.",
     "Grégory Doucet", "direct", "Nous doublerons le nombre de pistes cyclables"),
    ("quote-first-sentence",
     "« La situation est grave », a estimé Laurent Fabius. Le ministre s'exprimait devant l'Assemblée nationale.",
     "Laurent Fabius", "direct", "La situation est grave"),
    ("quote-reflexive-cue",
     "La maire de Paris Anne Hidalgo a inauguré une nouvelle ligne de tramway. « C'est un grand jour pour "
     "les Parisiens », s'est réjouie Anne Hidalgo.",
     "Anne Hidalgo", "direct", "C'est un grand jour pour les Parisiens"),
    ("quote-cue-then-role-and-name",
     "« Nous n'abandonnerons jamais », a lancé la Première ministre britannique Theresa May devant le Parlement. "
     "Le vote aura lieu mardi.",
     "Theresa May", "direct", "Nous n'abandonnerons jamais"),
    ("name-a-declare-que",
     "La ministre de la Santé a visité l'hôpital de Nantes lundi. Agnès Buzyn a déclaré que les urgences "
     "recevraient des moyens supplémentaires dès janvier. Les syndicats restent sceptiques.",
     "Agnès Buzyn", "indirect", "les urgences recevraient des moyens supplémentaires"),
    ("name-estime-que-present",
     "Le rapport a été publié mardi. Thomas Piketty estime que les inégalités se creusent. "
     "Le gouvernement n'a pas réagi.",
     "Thomas Piketty", "indirect", "les inégalités se creusent"),
    ("selon-name",
     "Le chômage a encore baissé au troisième trimestre. Selon Bruno Le Maire, la croissance dépassera 2 % "
     "l'an prochain. L'opposition conteste ces chiffres.",
     "Bruno Le Maire", "indirect", "la croissance dépassera 2 %"),
    ("d-apres-name",
     "D'après Christine Lagarde, l'inflation reculera en 2024. La présidente de la BCE s'exprimait à Francfort.",
     "Christine Lagarde", "indirect", "l'inflation reculera en 2024"),
    ("pour-name",
     "Le gouvernement a présenté son plan mardi. Pour Laurent Berger, cette réforme est injuste. "
     "Les syndicats manifesteront jeudi.",
     "Laurent Berger", "indirect", "cette réforme est injuste"),
    ("selon-communique-organisation",
     "Le club a limogé son entraîneur. Selon un communiqué du Paris Saint-Germain, la décision a été prise "
     "d'un commun accord.",
     "Paris Saint-Germain", "indirect", "la décision a été prise d'un commun accord"),
    ("selon-organisation",
     "Selon l'Insee, le chômage a reculé de 0,3 point au deuxième trimestre. Le gouvernement s'en félicite.",
     "Insee", "indirect", "le chômage a reculé de 0,3 point"),
    ("quote-selon-name",
     "La grève a été massivement suivie. « Le gouvernement doit reculer », selon Philippe Martinez. "
     "Une nouvelle journée est prévue jeudi.",
     "Philippe Martinez", "direct", "Le gouvernement doit reculer"),
    ("inverted-a-t-il-named-subject-before",
     "Emmanuel Macron a reçu mardi les syndicats à l'Élysée. « Le dialogue social doit reprendre », "
     "a-t-il déclaré à l'issue de la rencontre.",
     "Emmanuel Macron", "direct", "Le dialogue social doit reprendre"),
    ("inverted-a-t-elle-named-subject-before",
     "Angela Merkel s'est rendue à Paris jeudi. « Nous devons avancer ensemble », a-t-elle affirmé devant "
     "les journalistes.",
     "Angela Merkel", "direct", "Nous devons avancer ensemble"),
    ("inverted-a-t-il-apposition",
     "Le secrétaire général de l'ONU, António Guterres, a appelé à un cessez-le-feu immédiat. "
     "« La guerre doit cesser », a-t-il lancé.",
     "António Guterres", "direct", "La guerre doit cesser"),
    ("inverted-a-t-il-role-subject-two-sentences-before",
     "L'entraîneur Didier Deschamps a annoncé sa liste pour le Mondial. Il a retenu vingt-trois joueurs. "
     "« Nous voulons aller le plus loin possible », a-t-il déclaré.",
     "Didier Deschamps", "direct", "Nous voulons aller le plus loin possible"),
    ("quote-interrupted-by-its-cue",
     "Emmanuel Macron a visité une usine à Lille. « Cette usine, a-t-il dit, est un modèle pour toute la "
     "France. » Il a ensuite rencontré les salariés.",
     "Emmanuel Macron", "direct", "Cette usine, a-t-il dit, est un modèle pour toute la France"),
    ("inverted-present-t-il",
     "Le ministre de l'Intérieur Gérald Darmanin était à Marseille lundi. « Nous ne laisserons rien passer », "
     "explique-t-il.",
     "Gérald Darmanin", "direct", "Nous ne laisserons rien passer"),
    ("pronoun-il-indirect",
     "Le porte-parole du gouvernement Gabriel Attal a tenu un point presse mercredi. Il a indiqué que la "
     "réforme serait présentée en conseil des ministres en juin.",
     "Gabriel Attal", "indirect", "la réforme serait présentée en conseil des ministres"),
    ("pronoun-elle-apposition",
     "La directrice de l'école, Sophie Martin, a pris la parole. Elle a expliqué que les cours reprendraient "
     "lundi. Les parents sont soulagés.",
     "Sophie Martin", "indirect", "les cours reprendraient lundi"),
    ("pronoun-elle-compound-surname",
     "Marine Le Pen était en meeting à Perpignan. Elle a affirmé qu'elle serait au second tour.",
     "Marine Le Pen", "indirect", "elle serait au second tour"),
    ("surname-with-article",
     "Marine Le Pen était à Perpignan. Le Pen a déclaré que la France devait sortir de l'euro.",
     "Marine Le Pen", "indirect", "la France devait sortir"),
    ("newspaper-with-article-is-not-a-person",
     "Le Canard enchaîné révèle que le ministre a reçu des costumes.",
     "Canard enchaîné", "indirect", "le ministre a reçu des costumes"),
    ("pronoun-colon-quote",
     "Le Premier ministre Édouard Philippe a présenté sa réforme. Il a déclaré : « Nous irons jusqu'au bout. » "
     "Les syndicats appellent à la grève.",
     "Édouard Philippe", "direct", "Nous irons jusqu'au bout"),
    ("role-resolution-inverted",
     "Le président russe Vladimir Poutine a reçu lundi son homologue turc à Moscou. Les deux pays doivent "
     "renforcer leur coopération énergétique, a souligné le président.",
     "Vladimir Poutine", "indirect", "Les deux pays doivent renforcer leur coopération"),
    ("role-resolution-feminine",
     "La ministre Élisabeth Borne s'est exprimée à l'Assemblée. « Nous tiendrons nos engagements », "
     "a déclaré la ministre.",
     "Élisabeth Borne", "direct", "Nous tiendrons nos engagements"),
    ("role-resolution-with-department",
     "Le ministre de la Santé Olivier Véran a annoncé mardi de nouvelles restrictions. « Nous devons freiner "
     "l'épidémie », a expliqué le ministre. Les bars fermeront à 22 heures.",
     "Olivier Véran", "direct", "Nous devons freiner l'épidémie"),
    ("surname-alone-inverted",
     "Le président russe Vladimir Poutine s'est rendu mardi à Saint-Pétersbourg. « La Russie ne cédera pas "
     "aux pressions », a déclaré Poutine devant la presse.",
     "Vladimir Poutine", "direct", "La Russie ne cédera pas aux pressions"),
    ("surname-alone-subject",
     "Le président russe Vladimir Poutine a rencontré les gouverneurs régionaux. Poutine a affirmé que le "
     "budget fédéral serait équilibré en 2024.",
     "Vladimir Poutine", "indirect", "le budget fédéral serait équilibré en 2024"),
    ("surname-alone-two-speakers",
     "Joe Biden a parlé avec Vladimir Poutine. « Nous ne voulons pas d'escalade », a déclaré Biden. "
     "Poutine a répondu que la Russie se défendrait.",
     "Joe Biden", "direct", "Nous ne voulons pas d'escalade"),
    ("surname-alone-two-speakers-second",
     "Joe Biden a parlé avec Vladimir Poutine. « Nous ne voulons pas d'escalade », a déclaré Biden. "
     "Poutine a répondu que la Russie se défendrait.",
     "Vladimir Poutine", "indirect", "la Russie se défendrait"),
    ("mixed-quoted-fragment",
     "Le joueur Kylian Mbappé a marqué deux buts dimanche. Mbappé a estimé que l'équipe avait « beaucoup "
     "progressé ». Le club est en tête du championnat.",
     "Kylian Mbappé", "mixed", "beaucoup progressé"),
    ("unnamed-source",
     "Un porte-parole de la police a indiqué que trois personnes avaient été interpellées. L'enquête se poursuit.",
     "porte-parole de la police", "indirect", "trois personnes avaient été interpellées"),
    ("organisation-acronym",
     "L'Organisation mondiale de la santé a publié son rapport annuel. L'OMS a averti que la pandémie "
     "n'était pas terminée.",
     "OMS", "indirect", "la pandémie n'était pas terminée"),
]


@pytest.mark.parametrize("name, text, speaker, kind, words", CASES, ids=[c[0] for c in CASES])
def test_who_said_what(extract, name: str, text: str, speaker: str, kind: str, words: str) -> None:
    statements = extract(text).statements
    found = [s for s in statements if words in s.text]
    assert found, f"no statement with {words!r}; got {[(s.speaker, s.text) for s in statements]}"
    assert (found[0].speaker, found[0].kind) == (speaker, kind)
    assert text[found[0].start:found[0].end] == found[0].text


ARTICLES = {c[0]: c[1] for c in CASES}


@pytest.mark.parametrize("text, speaker, speaker_type", [
    (ARTICLES["quote-a-declare-name"], "Grégory Doucet", "person"),
    (ARTICLES["pronoun-il-indirect"], "Gabriel Attal", "person"),
    (ARTICLES["selon-organisation"], "Insee", "organisation"),
    (ARTICLES["organisation-acronym"], "OMS", "organisation"),
], ids=["person", "person-through-pronoun", "organisation-selon", "organisation-subject"])
def test_speaker_type(extract, text: str, speaker: str, speaker_type: str) -> None:
    types = {s.speaker: s.speaker_type for s in extract(text).statements}
    assert types.get(speaker) == speaker_type


# Constructions added later: (id, article, speaker, kind, words inside the statement, words it must not hold)
MORE_CASES = [
    ("inverted-cue-without-comma",
     "Les secours sont arrivés rapidement sur place mais la route reste coupée précise la SNCF. "
     "Les voyageurs ont été relogés.",
     "SNCF", "indirect", "la route reste coupée", "précise"),
    ("light-verb-inverted-without-comma",
     "Un incendie a touché un entrepôt dans la nuit. Le trafic restera interrompu jusqu'à lundi a fait savoir "
     "la préfecture du Rhône.",
     "préfecture du Rhône", "indirect", "Le trafic restera interrompu jusqu'à lundi", "savoir"),
    ("light-verb-faire-savoir-que",
     "Le ministre de l'Intérieur a réuni les préfets. Gérald Darmanin a fait savoir que les contrôles "
     "seraient renforcés.",
     "Gérald Darmanin", "indirect", "les contrôles seraient renforcés", "savoir"),
    ("participle-after-publishing-verb",
     "Le syndicat Force ouvrière a publié un communiqué jeudi affirmant que la grève serait reconduite.",
     "Force ouvrière", "indirect", "la grève serait reconduite", "communiqué"),
    ("participle-subject-of-governing-verb",
     "Les manifestants ont bloqué la route pendant trois heures, affirmant que l'usine polluerait la rivière.",
     "manifestants", "indirect", "l'usine polluerait la rivière", "bloqué"),
    ("selon-after-sentence-opening-on-a-number",
     "Le bateau transportait 50 passagers. 12 personnes sont portées disparues, selon les garde-côtes. "
     "Les recherches continuent.",
     "garde-côtes", "indirect", "12 personnes sont portées disparues", "transportait"),
    ("mais-selon-opens-a-new-clause",
     "Le gouvernement a présenté son budget mardi, mais selon la Cour des comptes, le déficit restera élevé "
     "l'an prochain.",
     "Cour des comptes", "indirect", "le déficit restera élevé", "budget"),
    ("object-content-ends-before-coordinated-verb",
     "Greenpeace confirme ces informations et a porté plainte mardi.",
     "Greenpeace", "indirect", "ces informations", "plainte"),
    ("impersonal-on-reads-the-document-of-its-owner",
     "Dans un communiqué de la préfecture du Rhône, on apprend que la route sera fermée jusqu'à lundi.",
     "préfecture du Rhône", "indirect", "la route sera fermée", "communiqué"),
    ("impersonal-on-y-lire-takes-the-previous-document-source",
     "Dans un communiqué de l'aéroport de Lyon, on apprend qu'un poste de commandement a été mis en place. "
     "« La police est arrivée sur place », peut-on y lire.",
     "aéroport de Lyon", "direct", "La police est arrivée", "peut-on"),
    ("organisation-named-after-a-person",
     "Selon l'aéroport Charles de Gaulle, trois vols ont été annulés dans la matinée.",
     "aéroport Charles de Gaulle", "indirect", "trois vols ont été annulés", "Selon"),
    ("comme-clause-with-inverted-source-before-content",
     "Comme l'a rappelé la ministre de la Santé, la vaccination reste gratuite pour tous.",
     "ministre de la Santé", "indirect", "la vaccination reste gratuite", "rappelé"),
    ("comme-clause-with-subject-before-content",
     "Comme le maire l'a dit aux habitants, le pont sera rouvert au printemps.",
     "maire", "indirect", "le pont sera rouvert au printemps", "habitants"),
]


@pytest.mark.parametrize("name, text, speaker, kind, words, absent", MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_who_said_what_more(extract, name: str, text: str, speaker: str, kind: str, words: str, absent: str) -> None:
    statements = extract(text).statements
    found = [s for s in statements if words in s.text]
    assert found, f"no statement with {words!r}; got {[(s.speaker, s.text) for s in statements]}"
    assert (found[0].speaker, found[0].kind) == (speaker, kind)
    assert absent not in found[0].text
    assert text[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize("text, not_speaker", [
    ("Le ministre a dénoncé dans un communiqué « une discrimination selon leur origine et leur religion ».", "origine"),
    ("La ministre a promis « une aide selon les besoins de chaque commune » lors de sa visite.", "besoins"),
], ids=["selon-inside-quotation", "selon-inside-quotation-2"])
def test_selon_inside_a_quotation_is_no_source(extract, text: str, not_speaker: str) -> None:
    speakers = [s.speaker or "" for s in extract(text).statements]
    assert not any(not_speaker in sp for sp in speakers), speakers


@pytest.mark.parametrize("text", [
    "On apprend que le prix du carburant a augmenté de dix centimes en un mois.",
], ids=["impersonal-on-without-a-document-has-no-source"])
def test_impersonal_on_without_a_document_has_no_speaker(extract, text: str) -> None:
    assert all(s.speaker is None for s in extract(text).statements)

"""Articles for the record's tests: hand-built extractions (exact, no model) and texts to ingest.

``built(name)`` gives an :class:`~porteparole.models.Article` whose statements are
written here by hand, with offsets computed from the text, so that the store's tests
know exactly what each query must return, on both backends, in milliseconds.
``TEXTS`` are small French articles for the commands, which run the real extractor.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from porteparole.models import Article, Document, Span, Statement

KREMLIN = """La Russie présentera un document sur les garanties de sécurité

Moscou, 10 décembre. Le Kremlin prépare un texte destiné aux pays de l'Otan et aux États-Unis.
« Le document est en préparation, il sera remis aux États-Unis cette semaine », a déclaré le porte-parole Dmitri Peskov mardi.
Le président Vladimir Poutine a réclamé des « garanties de sécurité fiables et à long terme » pour la Russie.
Selon Joe Biden, l'Otan préférera associer plusieurs pays européens au dialogue qui s'ouvre cette semaine.
"""

LYON = """Le maire de Lyon annonce un grand plan pour le vélo

Lyon, 3 mars. Le conseil municipal s'est réuni mardi soir pour examiner le budget des transports de la métropole.
« Nous doublerons le nombre de pistes cyclables d'ici 2026 », a déclaré Grégory Doucet devant les élus.
Selon l'adjointe aux mobilités Valérie Lamotte, la sécurité des cyclistes reste la priorité de la ville.
L'opposition a dénoncé un projet trop coûteux, qui réduirait la place des voitures dans le centre historique.
Les premiers travaux commenceront au printemps sur les quais du Rhône et dureront près de deux ans.
"""

# The same story on another site: another first line (the site's name), another title, a footer.
LYON_COPY = ("20 Minutes Lyon\n\nVélo : Lyon veut doubler ses pistes cyclables\n\n" + LYON.split("\n\n", 1)[1]
             + "\nPartager sur Facebook\nPartager sur X\n")

RETRAITES = """Élisabeth Borne défend la réforme des retraites

Paris, 15 janvier. La Première ministre a présenté le calendrier du texte devant les députés de la majorité.
« La réforme des retraites est nécessaire pour sauver notre système », a affirmé Élisabeth Borne à l'Assemblée.
Les syndicats ont annoncé une première journée de grève et de manifestations dans toute la France.
"""

NATO = """NATO ministers meet in Brussels

Brussels, June 1. Defence ministers gathered on Wednesday to discuss the alliance's eastern flank.
"NATO will stand firm and united," said Jens Stoltenberg, the secretary general of the alliance.
The ministers also agreed on a new budget for joint exercises in the Baltic states next year.
"""

# name: (text, metadata, statements as (quoted text, speaker, kind))
ARTICLES: dict[str, tuple[str, dict, list[tuple[str, Optional[str], str]]]] = {
    "kremlin": (KREMLIN, {"url": "https://237online.com/kremlin-garanties", "source": "237online.com",
                          "published": "2021-12-10"},
                [("Le document est en préparation, il sera remis aux États-Unis cette semaine", "Dmitri Peskov", "direct"),
                 ("garanties de sécurité fiables et à long terme", "Vladimir Poutine", "mixed"),
                 ("l'Otan préférera associer plusieurs pays européens au dialogue qui s'ouvre cette semaine",
                  "Joe Biden", "indirect")]),
    "lyon": (LYON, {"url": "https://www.leprogres.fr/lyon/plan-velo", "source": "Le Progrès", "published": "2023-03-03"},
             [("Nous doublerons le nombre de pistes cyclables d'ici 2026", "Grégory Doucet", "direct"),
              ("la sécurité des cyclistes reste la priorité de la ville", "Valérie Lamotte", "indirect"),
              ("un projet trop coûteux", None, "indirect")]),
    "lyon-copy": (LYON_COPY, {"url": "https://www.20minutes.fr/lyon/velo-pistes", "source": "20 Minutes",
                              "published": "2023-03-04"},
                  [("Nous doublerons le nombre de pistes cyclables d'ici 2026", "Grégory Doucet", "direct"),
                   ("la sécurité des cyclistes reste la priorité de la ville", "Valérie Lamotte", "indirect"),
                   ("un projet trop coûteux", None, "indirect")]),
    "retraites": (RETRAITES, {"url": "https://www.lemonde.fr/politique/retraites", "source": "lemonde.fr",
                              "published": "2023-01-15"},
                  [("La réforme des retraites est nécessaire pour sauver notre système", "Élisabeth Borne", "direct")]),
    "nato": (NATO, {"url": "https://www.bbc.co.uk/news/nato", "source": "bbc.co.uk", "published": "2022-06-01",
                    "lang": "en"},
             [("NATO will stand firm and united", "Jens Stoltenberg", "direct")]),
}


def built(name: str, text: Optional[str] = None, **meta) -> Article:
    """The hand-built extraction of ``ARTICLES[name]`` (``text`` and ``meta`` override the text and metadata)."""
    base, base_meta, quotes = ARTICLES[name]
    text = base if text is None else text
    meta = {**base_meta, **meta}
    lang = meta.pop("lang", "fr")
    doc = Document(id=name, text=text, lang=lang, origin=f"{name}.json", **meta)
    title = text.split("\n", 1)[0]
    statements = tuple(_statement(text, quote, speaker, kind) for quote, speaker, kind in quotes if quote in text)
    return Article(document=doc, title=Span(0, len(title), title), blocks=(), statements=statements, lang=lang)


def _statement(text: str, quote: str, speaker: Optional[str], kind: str) -> Statement:
    start = text.index(quote)
    mention = Span(text.index(speaker), text.index(speaker) + len(speaker), speaker) if speaker and speaker in text else None
    return Statement(start=start, end=start + len(quote), text=quote, kind=kind, speaker=speaker,
                     speaker_type="person" if speaker else "unknown", mention=mention)


# Small French articles for the commands (the real extractor runs on them).
TEXTS = {
    "kremlin": KREMLIN,
    "lyon": LYON,
    "retraites": RETRAITES,
}


def write_json(folder: Path, name: str, text: Optional[str] = None, **meta) -> Path:
    """``ARTICLES[name]`` as a JSON input file (text, id and metadata) in ``folder``."""
    base, base_meta, _ = ARTICLES[name]
    obj = {"id": name, "text": base if text is None else text, **base_meta, **meta}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path

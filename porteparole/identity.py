"""Speakers across the record: one canonical speaker per real person or organisation.

Each speaker name an article gives (« Vladimir Poutine », "Putin", « M. Poutine ») is an
*alias*; the store keeps which speaker every alias belongs to.  A new name is resolved
at ingest, in this order:

1. an alias already known (exactly, without case or accents) → its speaker, always (this
   is also how editors' fixes survive re-ingest: merged and split aliases are *pinned*);
2. an unnamed description (« le porte-parole du Kremlin ») → the one holder that the
   alias table (:mod:`porteparole.people`) gives for that post at the article's date; with
   none, the description stays a speaker of its own article only — « le président » is
   never merged across articles (nor countries);
3. otherwise the speakers sharing a name word (by transliteration key) or a canonical
   name with it are candidates, and :func:`porteparole.people.decide` compares the new
   name, with its role, language and date, to each candidate's aliases; a name joins
   the one candidate that every full name of it accepts, and a new speaker otherwise
   (two candidates: a bare surname shared by two people is not merged).

Editors' commands (``porteparole speakers merge / split / rename``) are functions here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .errors import PorteparoleError
from .people import Mention, countries_in, decide, default_aliases, is_description, is_determiner, is_title, normalise, transliterations
from .people import _date as people_date

MAX_CANDIDATES = 30


class SpeakerError(PorteparoleError):
    """An editor's command on speakers that cannot be done (unknown speaker, alias not theirs…)."""


@dataclass(frozen=True)
class Context:
    """What the article says around a speaker name: its language, the mention's words, the date."""

    lang: Optional[str] = None
    mention: Optional[str] = None
    date: Optional[str] = None
    article_id: Optional[int] = None


@dataclass(frozen=True)
class SpeakerInfo:
    """A canonical speaker: name, type, every alias seen, the roles seen with their dates."""

    id: int
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[tuple[str, Optional[str], Optional[str], int], ...]   # (words, first seen, last seen, times)


def alias_key(name: str) -> str:
    """The exact-match key of an alias (folded words)."""
    from .store import speaker_key
    return speaker_key(name)


def name_tokens(name: str) -> set[str]:
    """Candidate keys of a name: the transliteration keys of its words, and its canonical name."""
    out = {"c:" + normalise(c) for c in [default_aliases().canonical(name)] if c}
    for word in normalise(name).split():
        if len(word) > 1:
            out |= {"t:" + k for k in transliterations(word)}
    return out


def resolve(db, name: str, stype: str, ctx: Context) -> int:
    """The id of the speaker ``name`` is, creating or extending speakers as needed (inside the caller's transaction)."""
    key = alias_key(name)
    row = db.one("SELECT speaker_id FROM speaker_aliases WHERE key = ?", (key,))
    if row is not None:
        _note_role(db, row[0], name, ctx)
        return row[0]
    if stype in ("person", "unknown") and is_description(name):
        holder = _holder(name, ctx)
        if holder is None:
            scoped = f"{key} @{ctx.article_id}" if ctx.article_id is not None else key
            row = db.one("SELECT speaker_id FROM speaker_aliases WHERE key = ?", (scoped,))
            if row is not None:
                return row[0]
            return _new_speaker(db, name, stype, scoped, ctx, tokens=False)
        sid = resolve(db, holder, "person", Context(ctx.lang, None, ctx.date, ctx.article_id))
        _note_role(db, sid, name, ctx)
        return sid
    sid = _match(db, name, stype, ctx)
    if sid is None:
        return _new_speaker(db, name, stype, key, ctx)
    _add_alias(db, sid, name, key, ctx)
    _note_role(db, sid, name, ctx)
    return sid


def _holder(name: str, ctx: Context) -> Optional[str]:
    """The one holder of the post a description names, at the article's date (None: unknown or several)."""
    text = " ".join(x for x in (name, ctx.mention) if x)
    holders = default_aliases().holders([name, ctx.mention or ""], countries_in(text), people_date(ctx.date))
    return next(iter(holders)) if len(holders) == 1 else None


def _match(db, name: str, stype: str, ctx: Context) -> Optional[int]:
    tokens = sorted(name_tokens(name))
    if not tokens:
        return None
    marks = ", ".join("?" * len(tokens))
    candidates = [r[0] for r in db.all(f"SELECT DISTINCT speaker_id FROM speaker_tokens WHERE token IN ({marks})"
                                       f" ORDER BY speaker_id LIMIT {MAX_CANDIDATES}", tuple(tokens))]
    new = Mention(name, ctx.lang, role=ctx.mention, date=ctx.date, type=stype)
    accepted = []
    for sid in candidates:
        aliases = db.all("SELECT name, lang, role, seen FROM speaker_aliases WHERE speaker_id = ?", (sid,))
        stype_row = db.one("SELECT type FROM speakers WHERE id = ?", (sid,))
        if not aliases or stype_row is None:
            continue
        others = [Mention(n, lang, role=role, date=seen, type=stype_row[0]) for n, lang, role, seen in aliases]
        full = [m for m in others if len(normalise(m.name).split()) > 1] or others
        if all(decide(new, m).same for m in full):
            accepted.append(sid)
    return accepted[0] if len(accepted) == 1 else None


def _new_speaker(db, name: str, stype: str, key: str, ctx: Context, tokens: bool = True) -> int:
    skey, n = key, 1
    while db.one("SELECT 1 FROM speakers WHERE key = ?", (skey,)) is not None:
        n += 1
        skey = f"{key} #{n}"
    sid = db.insert("INSERT INTO speakers (name, type, key) VALUES (?, ?, ?)", (name, stype, skey))
    _add_alias(db, sid, name, key, ctx, tokens=tokens)
    _note_role(db, sid, name, ctx)
    return sid


def _add_alias(db, sid: int, name: str, key: str, ctx: Context, tokens: bool = True, pinned: int = 0) -> None:
    db.execute("INSERT INTO speaker_aliases (key, speaker_id, name, lang, role, seen, pinned) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (key, sid, name, ctx.lang, ctx.mention, ctx.date, pinned))
    if tokens:
        for token in sorted(name_tokens(name)):
            db.execute("INSERT INTO speaker_tokens (token, speaker_id) VALUES (?, ?)", (token, sid))
    _fullest_name(db, sid)


def _fullest_name(db, sid: int) -> None:
    """The speaker's name: the fullest name among its aliases (unless an editor named it)."""
    row = db.one("SELECT named, name FROM speakers WHERE id = ?", (sid,))
    if row is None or row[0]:
        return
    names = [r[0] for r in db.all("SELECT name FROM speaker_aliases WHERE speaker_id = ?", (sid,))]
    people = [n for n in names if not is_description(n)] or names
    if not people:
        return
    used: dict[str, int] = {}
    for speaker, n in db.all("SELECT speaker, COUNT(*) FROM statements WHERE speaker_id = ? GROUP BY speaker", (sid,)):
        used[alias_key(speaker or "")] = n
    # the most used of the full names (two words or more), else the longest name
    full = [n for n in people if len(normalise(n).split()) > 1]
    best = max(full or people, key=lambda n: (used.get(alias_key(n), 0) if full else 0, len(normalise(n).split()),
                                               n == row[1], -len(n)))
    if best != row[1]:
        db.execute("UPDATE speakers SET name = ? WHERE id = ?", (best, sid))


def _note_role(db, sid: int, name: str, ctx: Context) -> None:
    """Count the role words of the mention (« le porte-parole du Kremlin Dmitri Peskov » → the post) with its dates."""
    role = role_words(name, ctx.mention)
    if not role:
        return
    row = db.one("SELECT first_seen, last_seen, n FROM speaker_roles WHERE speaker_id = ? AND role = ?", (sid, role))
    day = (ctx.date or "")[:10] or None
    if row is None:
        db.execute("INSERT INTO speaker_roles (speaker_id, role, first_seen, last_seen, n) VALUES (?, ?, ?, ?, 1)",
                   (sid, role, day, day))
        return
    first = min(x for x in (row[0], day) if x) if (row[0] or day) else None
    last = max(x for x in (row[1], day) if x) if (row[1] or day) else None
    db.execute("UPDATE speaker_roles SET first_seen = ?, last_seen = ?, n = ? WHERE speaker_id = ? AND role = ?",
               (first, last, row[2] + 1, sid, role))


def role_words(name: str, mention: Optional[str]) -> Optional[str]:
    """The description in a mention, without the name: « le porte-parole du Kremlin Dmitri Peskov » → « porte-parole du Kremlin »."""
    if mention and is_description(name):
        return _trim(name)
    if not mention:
        return None
    text = mention.strip()
    folded_name = normalise(name).split()
    if not folded_name:
        return None
    words = text.split()
    folded = [normalise(w) for w in words]
    for i in range(len(words)):                 # cut the name (its first word on) from the mention
        if folded[i] and folded[i] in folded_name:
            words = words[:i]
            break
    role = _trim(" ".join(words).strip(" ,"))
    return role if role and not is_title(role) and is_description(role) else None


def _trim(text: str) -> str:
    """A description without its leading articles (« le », « l' », "the": the language files' determiners)."""
    words = text.split()
    while len(words) > 1 and is_determiner(words[0]):
        words = words[1:]
    out = " ".join(words)
    for apostrophe in ("'", "’"):
        head, sep, rest = out.partition(apostrophe)
        if sep and rest and " " not in head and is_determiner(head + "'"):
            out = rest
    return out


# ---------------------------------------------------------------------- reading
def speaker_info(db, sid: int) -> SpeakerInfo:
    """A speaker with every alias and the roles seen; :class:`SpeakerError` when there is none."""
    row = db.one("SELECT id, name, type FROM speakers WHERE id = ?", (sid,))
    if row is None:
        raise SpeakerError(f"no speaker with id {sid}; `porteparole speakers` lists speakers with their ids")
    aliases = tuple(sorted({r[0] for r in db.all("SELECT name FROM speaker_aliases WHERE speaker_id = ?", (sid,))}))
    roles = tuple(tuple(r) for r in db.all("SELECT role, first_seen, last_seen, n FROM speaker_roles WHERE speaker_id = ?"
                                            " ORDER BY n DESC, role", (sid,)))
    return SpeakerInfo(row[0], row[1], row[2], aliases, roles)


def find_speaker(db, ref: str) -> int:
    """A speaker by id (``12``) or by one of its aliases (exact, without case or accents)."""
    if ref.strip().isdigit():
        sid = int(ref)
        if db.one("SELECT 1 FROM speakers WHERE id = ?", (sid,)) is None:
            raise SpeakerError(f"no speaker with id {sid}; `porteparole speakers` lists speakers with their ids")
        return sid
    row = db.one("SELECT speaker_id FROM speaker_aliases WHERE key = ?", (alias_key(ref),))
    if row is None:
        raise SpeakerError(f"no speaker is called {ref!r}; give an id from `porteparole speakers`, or a name exactly as listed")
    return row[0]


# ---------------------------------------------------------------------- editors' fixes (they survive re-ingest: aliases are pinned)
def merge(db, keep: int, other: int) -> None:
    """Make ``other`` the same speaker as ``keep``: statements, aliases, roles and quotations move to ``keep``."""
    if keep == other:
        raise SpeakerError("a speaker cannot be merged with itself")
    speaker_info(db, keep)
    speaker_info(db, other)
    for table in ("statements", "mentions", "quotations", "speaker_tokens"):
        db.execute(f"UPDATE {table} SET speaker_id = ? WHERE speaker_id = ?", (keep, other))
    db.execute("UPDATE speaker_aliases SET speaker_id = ?, pinned = 1 WHERE speaker_id IN (?, ?)", (keep, keep, other))
    for role, first, last, n in db.all("SELECT role, first_seen, last_seen, n FROM speaker_roles WHERE speaker_id = ?", (other,)):
        row = db.one("SELECT first_seen, last_seen, n FROM speaker_roles WHERE speaker_id = ? AND role = ?", (keep, role))
        if row is None:
            db.execute("INSERT INTO speaker_roles (speaker_id, role, first_seen, last_seen, n) VALUES (?, ?, ?, ?, ?)",
                       (keep, role, first, last, n))
        else:
            firsts = [x for x in (row[0], first) if x]
            lasts = [x for x in (row[1], last) if x]
            db.execute("UPDATE speaker_roles SET first_seen = ?, last_seen = ?, n = ? WHERE speaker_id = ? AND role = ?",
                       (min(firsts) if firsts else None, max(lasts) if lasts else None, row[2] + n, keep, role))
    db.execute("DELETE FROM speaker_roles WHERE speaker_id = ?", (other,))
    db.execute("DELETE FROM speakers WHERE id = ?", (other,))
    _fullest_name(db, keep)


def split(db, sid: int, alias: str) -> int:
    """Make one alias of a speaker a speaker of its own (with the statements that name them so); returns its id."""
    info = speaker_info(db, sid)
    key = alias_key(alias)
    row = db.one("SELECT name FROM speaker_aliases WHERE key = ? AND speaker_id = ?", (key, sid))
    if row is None:
        raise SpeakerError(f"{alias!r} is not an alias of speaker {sid} ({info.name}); its aliases: {', '.join(info.aliases)}")
    if len(info.aliases) < 2:
        raise SpeakerError(f"{alias!r} is the only name of speaker {sid}: there is nothing to split")
    skey, n = key, 1
    while db.one("SELECT 1 FROM speakers WHERE key = ?", (skey,)) is not None:
        n += 1
        skey = f"{key} #{n}"
    new = db.insert("INSERT INTO speakers (name, type, key, named) VALUES (?, ?, ?, 1)", (row[0], info.type, skey))
    db.execute("UPDATE speaker_aliases SET speaker_id = ?, pinned = 1 WHERE key = ?", (new, key))
    moved = [r[0] for r in db.all("SELECT id, speaker FROM statements WHERE speaker_id = ?", (sid,)) if alias_key(r[1] or "") == key]
    for stid in moved:
        db.execute("UPDATE statements SET speaker_id = ? WHERE id = ?", (new, stid))
        db.execute("UPDATE mentions SET speaker_id = ? WHERE statement_id = ?", (new, stid))
    db.execute("UPDATE speaker_aliases SET pinned = 1 WHERE speaker_id = ?", (sid,))
    _fullest_name(db, sid)
    return new


def rename(db, sid: int, name: str) -> None:
    """Give a speaker the name editors want shown (it stays, whatever fuller alias comes later)."""
    if not alias_key(name):
        raise SpeakerError("a speaker's name needs letters")
    speaker_info(db, sid)
    db.execute("UPDATE speakers SET name = ?, named = 1 WHERE id = ?", (name, sid))
    key = alias_key(name)
    row = db.one("SELECT speaker_id FROM speaker_aliases WHERE key = ?", (key,))
    if row is None:
        db.execute("INSERT INTO speaker_aliases (key, speaker_id, name, pinned) VALUES (?, ?, ?, 1)", (key, sid, name))
    elif row[0] != sid:
        raise SpeakerError(f"{name!r} is already a name of speaker {row[0]}: merge the two speakers instead")


def rebuild(db) -> int:
    """Resolve every statement's speaker again from the statements, oldest first; editors' fixes are kept.

    Returns the number of speakers afterwards."""
    db.execute("UPDATE statements SET speaker_id = NULL WHERE speaker_id IN (SELECT id FROM speakers WHERE named = 0)"
               " AND speaker_id NOT IN (SELECT speaker_id FROM speaker_aliases WHERE pinned = 1)")
    db.execute("DELETE FROM speaker_aliases WHERE pinned = 0")
    db.execute("DELETE FROM speaker_tokens")
    db.execute("DELETE FROM speaker_roles")
    db.execute("DELETE FROM speakers WHERE named = 0 AND id NOT IN (SELECT speaker_id FROM speaker_aliases)")
    for sid, name, lang, role, seen in db.all("SELECT speaker_id, name, lang, role, seen FROM speaker_aliases"):
        for token in sorted(name_tokens(name)):
            db.execute("INSERT INTO speaker_tokens (token, speaker_id) VALUES (?, ?)", (token, sid))
    rows = db.all("SELECT s.id, s.speaker, s.speaker_type, s.mention_text, a.lang, a.published, a.id FROM statements s"
                  " JOIN articles a ON a.id = s.article_id WHERE s.speaker IS NOT NULL"
                  " ORDER BY COALESCE(a.published, a.ingested_at), a.id, s.idx")
    for stid, name, stype, mention, lang, published, aid in rows:
        sid = resolve(db, name, stype, Context(lang, mention, published, aid))
        db.execute("UPDATE statements SET speaker_id = ? WHERE id = ?", (sid, stid))
        db.execute("UPDATE mentions SET speaker_id = ? WHERE statement_id = ?", (sid, stid))
    db.execute("UPDATE quotations SET speaker_id = (SELECT MIN(s.speaker_id) FROM statements s WHERE s.quotation_id = quotations.id)")
    db.execute("DELETE FROM speakers WHERE id NOT IN (SELECT speaker_id FROM statements WHERE speaker_id IS NOT NULL)"
               " AND id NOT IN (SELECT speaker_id FROM speaker_aliases WHERE pinned = 1) AND named = 0")
    return db.one("SELECT COUNT(*) FROM speakers")[0]

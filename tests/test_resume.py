"""Killing a real ingest process at any moment loses nothing and doubles nothing.

A ``porteparole ingest`` of 20 articles runs as its own process; once the store holds
at least 3 articles it gets SIGKILL (no clean-up of any kind); the same command run
again finishes the job.  The record must then be the one a clean, uninterrupted run
gives: the same articles and statements, none twice, the search index whole.
"""
from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from porteparole.cli import cli

GOLD = Path(__file__).parent / "data" / "gold" / "fr"
ARTICLES = 20
KILL_AT = 3            # articles stored when the process is killed
TIMEOUT = 180          # seconds for any one run (the model loads in each new process)
INGEST = [sys.executable, "-c", "from porteparole.cli import main; main()", "ingest"]


def stored(db: Path) -> int:
    """Articles committed in the store, read without writing (0 while it does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:       # not created yet, or the schema being written
        return 0


def record(db: Path) -> dict:
    """Everything that must match between two stores, without ids or times."""
    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        return {
            "articles": q("SELECT doc_id, url, title, published, content_hash, text FROM articles ORDER BY doc_id"),
            "statements": q("SELECT a.doc_id, s.idx, s.start_offset, s.end_offset, s.text, s.kind, s.speaker, s.speaker_type,"
                            " s.mention_text, s.cue_text, s.nested_in FROM statements s JOIN articles a ON a.id = s.article_id"
                            " ORDER BY a.doc_id, s.idx"),
            "speakers": q("SELECT name, type FROM speakers ORDER BY key"),
            "mentions": q("SELECT COUNT(*) FROM mentions"),
            "bands": q("SELECT COUNT(*), COUNT(DISTINCT article_id) FROM story_bands"),
            "copies": q("SELECT a.doc_id, o.doc_id FROM articles a JOIN articles o ON o.id = a.duplicate_of ORDER BY 1"),
            "failures": q("SELECT origin, reason FROM failures ORDER BY origin"),
        }


def doubles(db: Path) -> list:
    """Rows that exist twice, and search-index rows without their statement (or missing)."""
    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        return (q("SELECT content_hash FROM articles GROUP BY content_hash HAVING COUNT(*) > 1")
                + q("SELECT url FROM articles WHERE url IS NOT NULL GROUP BY url HAVING COUNT(*) > 1")
                + q("SELECT article_id, idx FROM statements GROUP BY article_id, idx HAVING COUNT(*) > 1")
                + q("SELECT rowid FROM statements_fts WHERE rowid NOT IN (SELECT id FROM statements)")
                + q("SELECT id FROM statements WHERE id NOT IN (SELECT rowid FROM statements_fts)")
                + q("SELECT article_id, band FROM story_bands GROUP BY article_id, band HAVING COUNT(*) > 1")
                + [r for r in q("PRAGMA integrity_check") if r != ("ok",)])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 small real articles (the French dev gold texts, as JSON with their metadata)."""
    folder = tmp_path_factory.mktemp("articles")
    for path in sorted(GOLD.glob("*.json"))[:ARTICLES]:
        shutil.copy(path, folder / path.name)
    return folder


def kill_when_stored(cmd: list[str], db: Path, log: Path, at: int) -> int:
    """Run ``cmd``; SIGKILL it as soon as ``db`` holds ``at`` articles; return how many it holds then."""
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + TIMEOUT
            while stored(db) < at:
                assert proc.poll() is None, f"ingest ended (status {proc.returncode}) before it could be killed: {log.read_text()}"
                assert time.monotonic() < deadline, "ingest stored nothing in time"
                time.sleep(0.02)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return stored(db)


def clean_run(folder: Path, db: Path) -> None:
    """The same ingest, uninterrupted, in this process (the model may be loaded already)."""
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--lang", "fr"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_killed_ingest_finishes_on_the_second_run(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    cmd = INGEST + [str(folder), "--db", str(db), "--lang", "fr"]
    left = kill_when_stored(cmd, db, tmp_path / "killed.log", KILL_AT)
    assert KILL_AT <= left < ARTICLES, f"killed with {left} articles stored: the kill did not land mid-run"

    again = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        clean_run(folder, tmp_path / "clean.db")       # while the second run loads its model
        _, err = again.communicate(timeout=TIMEOUT)
    finally:
        again.kill()
    assert again.returncode == 0, err
    summary = [line for line in err.splitlines() if "article(s) stored" in line]
    assert summary and summary[0].startswith(f"{ARTICLES - left} article(s) stored ") \
        and f", {left} already stored, 0 failed," in summary[0], err
    clean = tmp_path / "clean.db"

    resumed, expected = record(db), record(clean)
    assert len(resumed["articles"]) == ARTICLES
    assert len(resumed["statements"]) == len(expected["statements"]) > ARTICLES
    assert doubles(db) == []
    for key in expected:
        assert resumed[key] == expected[key], key

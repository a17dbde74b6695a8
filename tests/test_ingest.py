"""Papers in: a corpus folder, re-ingest idempotence, bad files, and an online ingest replayed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
import requests
from requests.adapters import BaseAdapter
from sqlmodel import select

from synth.ingest import ingest
from synth.retrieve import build_session
from synth.store.models import Paper, Sentence
from synth.store.papers import list_papers

PAPERS = ("1810.04805", "1901.07291")


@pytest.fixture
def small_corpus(tmp_path, pdf_dir) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for pid in PAPERS:
        shutil.copy(pdf_dir / f"{pid}.pdf", folder / f"{pid}.pdf")
    return folder


def test_corpus_ingest_and_reingest_is_idempotent(session, settings, small_corpus):
    first = ingest(session, settings, corpus=small_corpus)
    assert (first.found, first.parsed, first.failed) == (2, 2, 0)
    n_sentences = len(session.exec(select(Sentence)).all())
    again = ingest(session, settings, corpus=small_corpus)
    assert (again.parsed, again.unchanged) == (0, 2)  # same bytes: never extracted twice
    assert len(session.exec(select(Paper)).all()) == 2
    assert len(session.exec(select(Sentence)).all()) == n_sentences


def test_changed_file_replaces_the_papers_text(session, settings, small_corpus, pdf_dir):
    ingest(session, settings, corpus=small_corpus)
    # The file for 1901.07291 now holds other bytes (a newer version, say): text is replaced.
    shutil.copy(pdf_dir / "1802.05365.pdf", small_corpus / "1901.07291.pdf")
    result = ingest(session, settings, corpus=small_corpus)
    assert result.parsed == 1 and len(session.exec(select(Paper)).all()) == 2
    paper = session.exec(select(Paper).where(Paper.arxiv_id == "1901.07291")).one()
    assert "contextualized" in paper.abstract.lower()


def test_text_an_older_extractor_stored_is_read_again(session, settings, small_corpus):
    """Same bytes, older extraction: the paper is read again and its text replaced, while a
    claim of an earlier run keeps its own text; with today's extractor, never twice."""
    from synth.extract import EXTRACTOR_VERSION
    from synth.store.models import Claim

    ingest(session, settings, corpus=small_corpus)
    paper = session.exec(select(Paper).where(Paper.arxiv_id == "1810.04805")).one()
    assert paper.extractor == EXTRACTOR_VERSION
    sentence = session.exec(select(Sentence).where(Sentence.paper_id == paper.id)).first()
    first_text = sentence.text
    session.add(Claim(paper_id=paper.id, sentence_id=sentence.id, text="t", original="t"))
    paper.extractor = EXTRACTOR_VERSION - 1  # as a database from before the last change has it
    session.add(paper)
    session.commit()
    again = ingest(session, settings, corpus=small_corpus)
    assert (again.parsed, again.unchanged) == (1, 1)
    session.refresh(paper)
    assert paper.extractor == EXTRACTOR_VERSION
    claim = session.exec(select(Claim)).one()
    assert claim.text == "t"  # its own text kept, its link moved to the same sentence read again
    assert session.exec(select(Sentence.text).where(Sentence.id == claim.sentence_id)).one() == (
        first_text
    )
    assert session.exec(select(Sentence).where(Sentence.paper_id == paper.id)).first()
    assert ingest(session, settings, corpus=small_corpus).parsed == 0


def test_reading_a_paper_again_keeps_its_metadata_and_on_failure_its_text(
    session, settings, small_corpus, monkeypatch
):
    """Metadata completed from arXiv survives the re-extraction; a PDF the new extractor cannot
    read keeps the text the older one stored, and the paper stays in the run."""
    import synth.extract
    from synth.extract import EXTRACTOR_VERSION

    ingest(session, settings, corpus=small_corpus)
    paper = session.exec(select(Paper).where(Paper.arxiv_id == "1810.04805")).one()
    paper.title, paper.version = "BERT (title from arXiv)", 2
    paper.extractor = EXTRACTOR_VERSION - 1
    session.add(paper)
    session.commit()
    again = ingest(session, settings, corpus=small_corpus)
    session.refresh(paper)
    assert again.parsed == 1 and paper.extractor == EXTRACTOR_VERSION
    assert (paper.title, paper.version) == ("BERT (title from arXiv)", 2)

    paper.extractor = EXTRACTOR_VERSION - 1
    session.add(paper)
    session.commit()
    n = len(session.exec(select(Sentence).where(Sentence.paper_id == paper.id)).all())
    monkeypatch.setattr(synth.extract, "extract_many", _failing_extract)
    third = ingest(session, settings, corpus=small_corpus)
    assert (third.parsed, third.unchanged, third.failed) == (0, 2, 0)
    assert "1810.04805" in third.arxiv_ids
    assert len(session.exec(select(Sentence).where(Sentence.paper_id == paper.id)).all()) == n


def _failing_extract(paths, **_):
    """extract_many as it reports a PDF it cannot read."""
    from synth.errors import ExtractError

    for path in paths:
        yield path, ExtractError(f"{path.name}: unreadable")


def test_bad_files_are_reported_and_the_batch_goes_on(session, settings, small_corpus, pdf_dir):
    good = (pdf_dir / "1802.05365.pdf").read_bytes()
    (small_corpus / "2001.00001.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (small_corpus / "2001.00002.pdf").write_bytes(good[: len(good) // 3])
    (small_corpus / "2001.00003.pdf").write_bytes(b"")
    (small_corpus / "2001.00004.pdf").write_text("<html>not a pdf</html>")
    result = ingest(session, settings, corpus=small_corpus)
    assert result.parsed == 2 and result.failed == 4
    for failure in result.failures:
        assert failure.name.startswith("2001.0000")
        assert "\n" not in failure.message and len(failure.message) < 300
    assert {p.arxiv_id for p in session.exec(select(Paper))} == set(PAPERS)


def test_papers_json_fields(session, settings, small_corpus):
    ingest(session, settings, corpus=small_corpus)
    rows = {r["arxiv_id"]: r for r in list_papers(session)}
    bert = rows["1810.04805"]
    assert bert["version"] == 1 and bert["year"] == 2018 and bert["pages"] == 14
    assert bert["title"].startswith("BERT: Pre-training of Deep Bidirectional Transformers")
    assert bert["authors"][0] == "Jacob Devlin"
    assert bert["abstract"].startswith("We introduce a new language representation model")
    assert {"Abstract", "Introduction", "Conclusion", "References"} <= set(bert["sections"])
    assert bert["sentences"] > 200
    json.dumps(rows)  # serialisable as `synth papers --json` prints it


class LegacyFeed(BaseAdapter):
    """Answers every arXiv API request with a recorded feed."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body, self.urls = body, []

    def send(self, request, **kwargs):
        self.urls.append(request.url)
        response = requests.Response()
        response.status_code, response._content, response.url = 200, self.body, request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def test_online_ingest_replayed(session, settings, api_dir, pdf_dir):
    feed = LegacyFeed((api_dir / "arxiv.py-legacy-2016" / "id_list_1111.2011v2.xml").read_bytes())
    pdf = (pdf_dir / "1111.2011.pdf").read_bytes()
    fetched = []

    def server(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, content=pdf)

    with httpx.Client(transport=httpx.MockTransport(server)) as http:
        result = ingest(
            session,
            settings,
            ids=["1111.2011v2"],
            arxiv_session=build_session(settings.retrieve, adapter=feed),
            http=http,
        )
        again = ingest(
            session,
            settings,
            ids=["1111.2011v2"],
            arxiv_session=build_session(settings.retrieve, adapter=feed),
            http=http,
        )
    assert (result.found, result.downloaded, result.parsed) == (1, 1, 1)
    assert again.unchanged == 1 and len(fetched) == 1  # the cached PDF is not fetched again
    assert "id_list=1111.2011v2" in feed.urls[0]
    paper = session.exec(select(Paper)).one()
    assert paper.title.startswith("Quantum Criticality for Extended Nodes on a Bethe Lattice")
    assert paper.version == 2 and paper.source == "arxiv" and paper.year == 2011
    assert paper.abstract.startswith("Theoretical description of anisotropic systems")


def test_the_reachability_probe_asks_the_configured_api(tmp_path):
    """SYNTH_RETRIEVE__API_URL names a mirror: the probe (used by ingest and audit) asks it,
    on loopback here, and a closed port is unreachable."""
    import http.server
    import socket
    import threading

    from synth.ingest import arxiv_reachable

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/mirror/api/query"
        assert arxiv_reachable(url)
        assert seen and seen[0].startswith("/mirror/api/query?")
    finally:
        server.shutdown()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    assert not arxiv_reachable(f"http://127.0.0.1:{closed}/api/query", timeout=1.0)

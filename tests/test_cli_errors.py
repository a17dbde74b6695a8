"""How commands fail: exit 1 error, 2 usage, 130 interrupted; always one line on stderr.

Usage errors run in-process through ``main`` (fast); interrupts and database faults run the
real console entry point in a subprocess, as a user meets them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from synth.cli import main

from conftest import PDFS, need


def _main(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    return exit_.value.code, capsys.readouterr().err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _synth(*args: str, env: dict | None = None, timeout: int = 600):
    code = "from synth.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'synth.db'}"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["claims", "show", "abc"], "'claim_id'"),
        (["claims", "show"], "Missing argument"),
        (["claims", "--bogus"], "No such option: --bogus"),
        (["nosuchcmd"], "No such command 'nosuchcmd'"),
        (["claims", "show", str(2**64)], "'claim_id'"),
        (["label", str(2**63), "refuted"], "'claim_id'"),
        (["bibtex", "0"], "'run_id'"),
        (["claims", "--min-confidence", "2"], "--min-confidence"),
        (["claims", "--min-confidence", "nan"], "--min-confidence"),
        (["claims", "--min-confidence", "inf"], "--min-confidence"),
        (["claims", "--min-confidence", "-0.1"], "--min-confidence"),
        (["claims", "--search", ""], "--search"),
        (["claims", "--search", "   "], "--search"),
        (["claims", "--limit", "-1"], "--limit"),
        (["report", "q", "--max-papers", "0"], "--max-papers"),
        (["report", "q", "--max-papers", "-1"], "--max-papers"),
        (["report", "q", "--max-papers", "-5"], "--max-papers"),
        (["search", "x", "--max", "0"], "--max"),
        (["ingest", "--query", "x", "--max", "-3"], "--max"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, db, args, needle):
    with_db = args[0] not in ("nosuchcmd", "search")
    code, err = _main(capsys, *args, "--db", db) if with_db else _main(capsys, *args)
    assert code == 2, err
    line = _one_line(err)
    assert line.startswith("UsageError: ") and needle in line, line
    assert "--help" in line


def test_no_arguments_prints_help_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main([])
    shown = capsys.readouterr()
    assert exit_.value.code == 2 and "Usage" in shown.out + shown.err


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["claims", "--help"])
    assert exit_.value.code == 0


def test_database_path_that_cannot_exist_is_one_line(capsys):
    code, err = _main(capsys, "papers", "--db", "sqlite:////proc/nope/x.db")
    assert code == 1
    assert _one_line(err).startswith("StoreError: cannot create the folder of the database")


def test_unknown_database_driver_is_one_line(capsys):
    code, err = _main(capsys, "papers", "--db", "nosuchdb://x")
    assert code == 1 and _one_line(err).startswith("StoreError:")


def test_writing_a_read_only_database_is_one_line(capsys, tmp_path, db):
    code, _ = _main(capsys, "papers", "--db", db)  # creates and migrates it
    assert code == 0
    read_only = f"sqlite:///file:{tmp_path / 'synth.db'}?mode=ro&uri=true"
    code, err = _main(capsys, "runs", "--db", read_only)
    assert code == 0, err  # reading works
    from sqlmodel import Session

    from synth.settings import Settings
    from synth.store import Claim, Paper, Run, open_database

    with Session(open_database(Settings(database_url=db))) as session:
        paper, run = Paper(arxiv_id="1901.07291"), Run(question="q", model="m")
        session.add_all([paper, run])
        session.flush()
        session.add(Claim(run_id=run.id, paper_id=paper.id, text="t", original="t"))
        session.commit()
    code, err = _main(capsys, "label", "1", "refuted", "--db", read_only)
    assert code == 1
    assert _one_line(err).startswith("StoreError: the database is read-only")


def test_output_into_a_missing_folder_is_one_line(capsys, db, tmp_path):
    code, err = _main(capsys, "claims", "-o", str(tmp_path / "no" / "such" / "x.txt"), "--db", db)
    assert code == 1 and _one_line(err).startswith("FileError: cannot use")


def test_corpus_where_every_pdf_fails_is_an_error(tmp_path, db):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "1901.07291.pdf").write_bytes(b"not a pdf at all")
    (corpus / "1810.04805.pdf").write_bytes(b"%PDF-1.4\n truncated")
    report = ["report", "q", "--corpus", str(corpus), "-o", str(tmp_path / "r.md")]
    for args in (["ingest", "--corpus", str(corpus)], report):
        done = _synth(*args, "--db", db)
        assert done.returncode == 1, done.stderr
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("NothingReadError: none of the 2 papers could be read"), last
        assert not (tmp_path / "r.md").exists()


# --- interrupts -----------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """Enough real PDFs that extraction is still running when the signal comes."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for pdf in sorted(need(PDFS).glob("*.pdf"))[:8]:
        shutil.copy(pdf, folder / pdf.name)
    return folder


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads worker processes from /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_ingest_exits_130_says_what_was_kept_and_leaves_no_workers(
    tmp_path, corpus_copy, db, sig
):
    code = "from synth.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "ingest", "--corpus", str(corpus_copy), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SYNTH_EXTRACT__WORKERS": "2"},
    )
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert workers, "extraction workers never started"
    time.sleep(1.0)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("Interrupted: stopped before the end; papers read so far are stored")
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)], "extraction workers left running"


def test_huge_report_file_is_refused_at_once(capsys, tmp_path, db):
    huge = tmp_path / "huge.md"
    with huge.open("w") as out:
        out.write("# Report\n\n")
        out.truncate(50_000_000)  # 50 MB, sparse on disk
    code, err = _main(capsys, "audit", str(huge), "--db", db)
    assert code == 1
    assert _one_line(err).startswith("ReportParseError:") and "50 MB" in err

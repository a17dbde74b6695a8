"""A non-editable install works: build the wheel, install it in a fresh venv, use it elsewhere.

The venv sees the system's packages (``--system-site-packages``) and the wheel is installed with
``--no-deps``, so nothing is downloaded and torch is never resolved; synth itself is then the
wheel's copy, run from a folder far from the checkout, so templates and migrations can only
come from inside the package.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from conftest import PDFS, ROOT, need

SMALL_PDF = "1602.03483.pdf"  # the smallest shared paper (129 kB): a quick one-paper report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("synth-*.whl"))


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh venv holding only the wheel; everything else comes from the system."""
    folder = tmp_path_factory.mktemp("venv")
    # No pip inside (ensurepip is slow): this interpreter's pip installs into the venv.
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(folder)],
        check=True,
    )
    pip = [sys.executable, "-m", "pip", "--python", str(folder / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    return folder


def test_wheel_carries_templates_and_migrations(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    templates = Path(ROOT / "templates").glob("**/*.j2")
    for path in templates:
        assert f"synth/templates/{path.relative_to(ROOT / 'templates')}" in names
    for path in (ROOT / "db" / "versions").glob("*.py"):
        assert f"synth/migrations/versions/{path.name}" in names
    assert "synth/migrations/env.py" in names
    assert any(n.startswith("synth/web/static/") for n in names)


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SYNTH_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "SYNTH_DATA_DIR": str(home / "data"),
        "SYNTH_RETRIEVE__CACHE_DIR": str(home / "cache"),
        "SYNTH_EXTRACT__WORKERS": "1",
        "PYTHONPATH": "",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_installed_wheel_writes_a_report_and_serves_it(venv, tmp_path):
    pdf = need(PDFS / SMALL_PDF)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(pdf, corpus / SMALL_PDF)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _env(tmp_path)
    synth = str(venv / "bin" / "synth")

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import synth; print(synth.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), where  # the wheel's copy, not the checkout

    done = subprocess.run(
        [
            synth,
            "report",
            "What do sentence embeddings capture?",
            "--corpus",
            str(corpus),
            "--format",
            "html",
            "-o",
            "report.html",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    html = (work / "report.html").read_text()
    assert "<h2>5 Extracted Claims</h2>" in html
    assert (tmp_path / "data" / "synth.db").exists()

    port = _free_port()
    server = subprocess.Popen(
        [synth, "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                home = httpx.get(f"{base}/runs", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "synth serve did not answer within 60 s"
                time.sleep(0.3)
        assert home.status_code == 200
        assert "What do sentence embeddings capture?" in home.text
        assert httpx.get(f"{base}/runs/1", timeout=30).status_code == 200
        claims = httpx.get(f"{base}/api/claims", timeout=30).json()
        assert claims["items"], claims
        script = httpx.get(f"{base}/static/synth.js", timeout=5)
        assert script.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)

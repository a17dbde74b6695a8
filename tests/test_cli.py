"""The command line: every command documented, errors as one line, eval-nli's output."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
import typer
from typer.testing import CliRunner

from synth.cli import app

from conftest import ROOT, make_tiny_nli_model

runner = CliRunner()


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    out = {}
    for name, cmd in group.commands.items():
        out[name] = cmd
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            out[f"{name} {sub}"] = subcmd
    return out


def synth(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """The real console entry point, as a user runs it."""
    code = "from synth.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_with_an_example(name):
    cmd = _commands()[name]
    assert cmd.help and "Example: synth" in cmd.help, name


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text()
    for name in _commands():
        assert f"synth {name}" in readme, name


def test_error_is_one_line_with_exit_status_1(tmp_path):
    done = synth("claims", "show", "999", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 1
    assert done.stderr.strip().startswith("NotFoundError: no claim with id 999")
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_model_error_names_the_fix(tmp_path):
    pairs = tmp_path / "p.jsonl"
    pairs.write_text('{"premise": "a", "hypothesis": "b", "label": "neutral"}\n')
    done = synth("eval-nli", str(pairs), "--model", str(tmp_path / "missing"))
    assert done.returncode == 1
    assert "ModelError" in done.stderr and "--model" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_eval_nli_prints_metrics_and_ends_with_json(tmp_path):
    model = make_tiny_nli_model(
        tmp_path / "m", {0: "entailment", 1: "neutral", 2: "contradiction"}, favour="entailment"
    )
    rows = [("A dog runs.", "An animal moves.", "entailment")] * 3 + [
        ("A dog runs.", "A cat sleeps.", "contradiction")
    ]
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(
        "".join(json.dumps({"premise": p, "hypothesis": h, "label": y}) + "\n" for p, h, y in rows)
    )
    result = runner.invoke(app, ["eval-nli", str(pairs), "--model", str(model)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["n"] == 4 and summary["accuracy"] == 0.75 and summary["pairs_per_s"] > 0
    assert summary["macro_f1"] == pytest.approx((2 * 0.75 / 1.75 + 0 + 0) / 3, abs=1e-3)
    assert any(line.startswith("entailment") for line in lines)


def test_eval_nli_two_way_file_scores_entailment_against_the_rest(tmp_path):
    model = make_tiny_nli_model(
        tmp_path / "m", {0: "contradiction", 1: "entailment", 2: "neutral"}, favour="neutral"
    )
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(
        '{"premise": "a", "hypothesis": "b", "label": "not_entailment"}\n'
        '{"premise": "a", "hypothesis": "a", "label": "entailment"}\n'
    )
    result = runner.invoke(app, ["eval-nli", str(pairs), "--model", str(model)])
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["accuracy"] == 0.5  # neutral counts as not_entailment: right once
    assert "not_entailment" in result.output


def test_eval_nli_rejects_a_bad_line(tmp_path):
    pairs = tmp_path / "p.jsonl"
    pairs.write_text('{"premise": "a", "hypothesis": "b", "label": "maybe"}\n')
    done = synth("eval-nli", str(pairs))
    assert done.returncode == 1 and "p.jsonl:1" in done.stderr and "label" in done.stderr

"""Jinja2 templates of reports, audits and web pages; installed as ``synth.templates``."""

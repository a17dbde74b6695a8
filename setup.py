"""Build hook: ship the top-level ``templates/`` and ``db/`` folders inside the package.

They stay at the repository's top level (where people look for them) and are installed as
``synth.templates`` and ``synth.migrations``, which synth finds through ``importlib.resources``
in a wheel and in an editable install alike. Everything else is in ``pyproject.toml``; this
file exists only because ``packages.find`` cannot be combined with renamed folders there.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["synth", "synth.*"]), "synth.templates", "synth.migrations"],
    package_dir={"synth.templates": "templates", "synth.migrations": "db"},
)

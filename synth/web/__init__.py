"""synth in the browser: browse, search, audit and label claims (``synth serve``).

Import from ``synth.web``::

    from synth.web import create_app
"""

from synth.web.app import create_app

__all__ = ["create_app"]

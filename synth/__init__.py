"""synth: literature synthesis and claim verification over arXiv papers."""

from synth.errors import SynthError
from synth.settings import Settings

__all__ = ["Settings", "SynthError", "__version__"]
__version__ = "0.1.0"

"""Loosen: a guided stretch-and-break timer for runners whose lower back tightens."""

__version__ = "0.1.0"

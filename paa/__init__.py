"""Podcast Appearance Analytics: the command line (python -m paa)."""

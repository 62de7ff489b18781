"""Data-quality dashboard core: sources → snapshot → check catalogue → aggregates."""
__version__ = "0.1.0"

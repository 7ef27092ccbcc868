"""The terminal front end: ``testament play --text``."""

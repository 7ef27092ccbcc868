"""Lenin's Testament: a branching-narrative history game and its authoring toolkit."""

__version__ = "0.1.0"

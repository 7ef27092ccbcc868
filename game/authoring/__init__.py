"""Tools for authors: folders for the command line, a new mod, live reload, the author's overlay."""

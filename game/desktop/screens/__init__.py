"""One module per screen; each is a ``Screen`` on the app's stack."""

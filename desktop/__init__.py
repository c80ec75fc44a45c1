"""Section Desk's core: domain rules, the local store and the services. No Qt here."""

__version__ = "0.1.0"

"""briefbot: briefs on articles. The domain (parsing, briefs, storage) never imports discord."""

__version__ = "0.1.0"

"""The use cases: the one ingest path, folder sync, feed polling, the in-memory catalogue, reading
and search. Composes sources, analysis and storage; knows nothing of Discord."""

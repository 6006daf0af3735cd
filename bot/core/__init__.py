"""The bottom layer: shared types (models), text, stemming, the search query language, errors, the
one backoff rule and user-facing wording. Imports nothing else of briefbot."""

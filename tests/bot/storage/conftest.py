"""Every storage test that uses the ``db`` fixture runs on SQLite and on PostgreSQL (a module about
one backend only overrides ``backend``)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param

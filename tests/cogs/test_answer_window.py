"""The initial response must reach Discord within 3 seconds of the interaction. discord.py would
retry a 5xx on it five times, sleeping 1, 3, 5, 7 and 9 seconds (25 s, long after Discord stopped
listening); the bot retries it only while the window lasts, then reports the failure. Real sleeps
here (no speeding up), as the point is when each attempt is sent."""

from __future__ import annotations

import logging

from tests.cogs.test_faults_discord import CALLBACK, _logged, _unhandled

WINDOW = 3.0


async def test_the_initial_response_is_retried_only_within_the_window(bot, fake_discord, caplog):
    caplog.set_level(logging.WARNING)
    fake_discord.inject_fault("POST", CALLBACK, 503, times=None)
    inter = await fake_discord.send_command("brief", options={"article": "strategic calculus"})
    await fake_discord.wait_for(
        lambda: _logged(caplog, logging.WARNING, "could not deliver an error message"), timeout=WINDOW + 2
    )
    attempts = [r for r in fake_discord.requests_to("POST", CALLBACK) if inter.token in r.path]
    assert all(r.status == 503 for r in attempts)
    answers = [r for r in attempts if r.json.get("data", {}).get("embeds")]
    sent = [r.at - inter.sent_at for r in answers]
    assert len(answers) >= 3, sent  # retried, more than once
    assert all(at < WINDOW for at in sent), sent  # and never after Discord has stopped listening
    assert sent[-1] > WINDOW - 1.0, sent  # the last try is sent as the window closes
    # Nothing else (no late deferral); the apology comes as the window has closed: one try.
    assert [r.json.get("data", {}).get("content", "")[:5] for r in attempts[len(answers) :]] == ["Sorry"]
    # The answer failed: logged once as an error; the apology could not be sent either.
    errors = _logged(caplog, logging.ERROR, "in /brief")
    assert len(errors) == 1 and "503" in str(errors[0].exc_info[1])
    assert _unhandled(caplog) == []
    fake_discord.clear_faults()
    inter = await fake_discord.send_command("brief", options={"article": "strategic calculus"})
    assert (await inter.answer(timeout=3))["embeds"][0]["title"].startswith("North Korea")

"""`briefbot demo`: the real bot on the local fake of Discord (``bot.localdiscord``), without a token
or a network. ``tour`` runs it, ``commands`` reads slash commands typed as in Discord, ``text``
prints each answer as a person reads it."""

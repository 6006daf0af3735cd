"""The Discord layer: the Bot subclass that composes the services, answers, embeds, views, command
sync, the error handler and the delivery worker. The only layer (with cogs/) that imports discord."""

"""Index boards (强村富民指数榜): the board service, its views, writes, follow-ups and admin."""

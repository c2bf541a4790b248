"""The service layer: the only place where the ORM, the scoring core and the live hub meet."""

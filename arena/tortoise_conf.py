"""Configuration for Tortoise's command line.

tortoise -c arena.tortoise_conf.TORTOISE makemigrations
"""

from arena.db import tortoise_config

TORTOISE = tortoise_config("sqlite://:memory:")

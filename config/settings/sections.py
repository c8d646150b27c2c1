"""The sections' settings, one module each, read from the environment."""

from .newcomers import *  # noqa: F403
from .occitan import *  # noqa: F403

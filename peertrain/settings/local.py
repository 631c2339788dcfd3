"""Development settings: `make run` on a laptop. DEBUG on unless the environment says off."""

from .base import *  # noqa: F403
from .base import INSECURE_KEY_PREFIX, env, env_bool, require_real_secret_key

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=f"{INSECURE_KEY_PREFIX}local-development-only")
require_real_secret_key(SECRET_KEY, debug=DEBUG)

"""Access control: accounts, roles, password sign-in with lock-out, and who may do what.

Nothing here depends on Streamlit; the app and the CLI build on it. See docs/accounts.md.
"""

from nhm.auth.principal import Principal, local_principal
from nhm.auth.settings import AuthMode, AuthSettingsError, auth_mode

__all__ = ["AuthMode", "AuthSettingsError", "Principal", "auth_mode", "local_principal"]

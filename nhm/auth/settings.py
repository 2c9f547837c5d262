"""How users sign in, from the environment variable NHM_AUTH."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum

VARIABLE = "NHM_AUTH"


class AuthMode(StrEnum):
    none = "none"
    """No sign-in: one local user with all rights (the default, for a single workstation)."""
    accounts = "accounts"
    """Sign-in with the user name and password of an account in the database."""
    oidc = "oidc"
    """Sign-in through an OpenID Connect provider; roles still come from the database."""


class AuthSettingsError(ValueError):
    """NHM_AUTH holds a value nhm does not know."""


def auth_mode(environ: Mapping[str, str] | None = None) -> AuthMode:
    """The sign-in mode from NHM_AUTH (none, accounts or oidc; unset or empty: none)."""
    raw = (os.environ if environ is None else environ).get(VARIABLE, "").strip()
    if not raw:
        return AuthMode.none
    try:
        return AuthMode(raw.lower())
    except ValueError:
        allowed = ", ".join(mode.value for mode in AuthMode)
        raise AuthSettingsError(f"{VARIABLE} must be one of {allowed}, found {raw!r}") from None

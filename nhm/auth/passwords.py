"""Password hashing (argon2id through argon2-cffi) and the password policy.

The production hasher uses argon2-cffi's defaults (RFC 9106's low-memory profile, argon2id).
Tests pass a cheaper :class:`~argon2.PasswordHasher` wherever a ``hasher`` is accepted.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from nhm.store.errors import InvalidDataError

MIN_LENGTH = 12
MAX_LENGTH = 1024
"""Longer inputs are refused before hashing: nobody types them, and they cost time."""

_DEFAULT = PasswordHasher()  # argon2id, argon2-cffi's current defaults
_DUMMY_HASHES: dict[tuple[int, int, int, int, int, Type], str] = {}


class PasswordPolicyError(InvalidDataError):
    """The password does not meet the policy; ``problems`` lists every reason."""

    field = "password"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def default_hasher() -> PasswordHasher:
    """The hasher of production: argon2id with argon2-cffi's default parameters."""
    return _DEFAULT


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """The argon2id hash of ``password`` (a ``$argon2id$…`` string with salt and parameters)."""
    return (hasher or _DEFAULT).hash(password)


def verify_password(
    password_hash: str, password: str, hasher: PasswordHasher | None = None
) -> bool:
    """Whether ``password`` matches ``password_hash``; False also for a malformed hash."""
    try:
        return (hasher or _DEFAULT).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher | None = None) -> bool:
    """Whether the hash was made with other parameters than ``hasher``'s (rehash on sign-in)."""
    try:
        return (hasher or _DEFAULT).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def dummy_hash(hasher: PasswordHasher | None = None) -> str:
    """A hash with ``hasher``'s parameters that matches no real password: verifying against it
    takes as long as for a real account, so unknown user names cannot be told apart by time."""
    hasher = hasher or _DEFAULT
    key = (
        hasher.time_cost,
        hasher.memory_cost,
        hasher.parallelism,
        hasher.hash_len,
        hasher.salt_len,
        hasher.type,
    )
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("nhm dummy password – never valid")
    return _DUMMY_HASHES[key]


def policy_problems(password: str, username: str | None = None) -> list[str]:
    """What is wrong with ``password`` under the policy (an empty list: nothing)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(
            f"the password must have at least {MIN_LENGTH} characters (it has {len(password)})"
        )
    if len(password) > MAX_LENGTH:
        problems.append(f"the password must have at most {MAX_LENGTH} characters")
    if password.isdigit():
        problems.append("the password must not consist of digits only")
    if username and password.strip().casefold() == username.strip().casefold():
        problems.append("the password must not be the user name")
    return problems


def check_password_policy(password: str, username: str | None = None) -> None:
    """Raise :class:`PasswordPolicyError` naming every problem, if there is any."""
    problems = policy_problems(password, username)
    if problems:
        raise PasswordPolicyError(problems)

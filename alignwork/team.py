"""Team mode, the part every write shares: who the facilitator is, stamping rows with their
name, and optimistic concurrency on the things people edit together (a definition draft, the
guide, a risk, a signer).

Every flush stamps ``changed_by`` (and ``changed_at``) on new and changed rows that have it,
and moves ``version`` one up on changed rows. An editor remembers the version it showed;
``check_version`` refuses a save when someone else saved in between, with the plain
"changed by Dana at 14:02 — reload or keep yours" the UI turns into a choice.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone

from sqlalchemy import event, inspect
from sqlmodel import Session

from alignwork.paths import data_dir

SETTINGS_FILE = "team.json"  # per machine: facilitator name, the team database URL (never a password)


class EditConflict(ValueError):
    """Someone else saved the same thing since this editor loaded it (a refusal like
    store.StoreError, which re-exports it; its message is fit for the user)."""

    def __init__(self, what: str, by: str, at: datetime | None, current_version: int):
        self.what, self.by, self.at, self.current_version = what, by or "someone", at, current_version
        when = f" at {_local(at):%H:%M}" if at else ""
        super().__init__(f"{what} was changed by {self.by}{when} — reload or keep yours")


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone()


# ---------------------------------------------------------------- settings (per machine)

def load_settings() -> dict:
    path = data_dir() / SETTINGS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(**values) -> dict:
    from alignwork.atomic import write_atomic

    data = {**load_settings(), **values}
    if "password" in data:  # never on disk in plain text (the keyring holds it)
        raise ValueError("passwords are not stored in the settings file")
    write_atomic(data_dir() / SETTINGS_FILE, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return data


def facilitator_name() -> str:
    """ALIGNWORK_FACILITATOR, else the name saved in the team settings, else the login name."""
    name = os.environ.get("ALIGNWORK_FACILITATOR") or load_settings().get("facilitator") or ""
    if not name.strip():
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 (no login name on some systems)
            name = "someone"
    return name.strip()[:80]


# ---------------------------------------------------------------- stamping and versions

_who_cache: dict[str, str] = {}


def _who() -> str:
    # read once per process unless the environment changes (flushes are hot: autosave)
    key = os.environ.get("ALIGNWORK_FACILITATOR", "") + "|" + os.environ.get("ALIGNWORK_HOME", "")
    if key not in _who_cache:
        _who_cache.clear()
        _who_cache[key] = facilitator_name()
    return _who_cache[key]


def forget_name() -> None:
    """After the settings changed: the next flush reads the facilitator's name again."""
    _who_cache.clear()


@event.listens_for(Session, "before_flush")
def _stamp(session, _context, _instances) -> None:
    who = None
    for row in session.new:
        if hasattr(row, "changed_by"):
            who = who or _who()
            row.changed_by = who
            if hasattr(row, "changed_at"):
                row.changed_at = datetime.now(timezone.utc)
    for row in session.dirty:
        if not hasattr(row, "changed_by") or not session.is_modified(row, include_collections=False):
            continue
        who = who or _who()
        row.changed_by = who
        if hasattr(row, "changed_at"):
            row.changed_at = datetime.now(timezone.utc)
        if hasattr(row, "version") and not inspect(row).attrs.version.history.has_changes():
            row.version = (row.version or 0) + 1


def check_version(session: Session, row, expected: int | None, what: str) -> None:
    """Refuse to save over a newer ``row`` than the editor saw (``expected`` None: no check).

    On PostgreSQL the row is locked first, so two saves cannot both pass the check."""
    if expected is None:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.refresh(row, with_for_update=True)
    if row.version != expected:
        raise EditConflict(what, row.changed_by, row.changed_at, row.version)


# ---------------------------------------------------------------- the team database (per machine)

KEYRING_SERVICE = "Alignwork team database"


def _keyring_user(url) -> str:
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def password_from_keyring(url_text: str) -> str | None:
    """The saved password for this server and user, or None (no keyring, or nothing saved)."""
    from sqlalchemy.engine import make_url

    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _keyring_user(make_url(url_text)))
    except Exception:  # noqa: BLE001 (no keyring on this machine: the app asks instead)
        return None


def save_password(url_text: str, password: str) -> bool:
    """Keep the password in the OS keyring; False where there is none (then it is asked each time)."""
    from sqlalchemy.engine import make_url

    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _keyring_user(make_url(url_text)), password)
        return True
    except Exception:  # noqa: BLE001
        return False


def team_url(*, host: str, port: int | str, database: str, user: str, sslmode: str = "prefer") -> str:
    """The URL saved in the settings: everything but the password."""
    from sqlalchemy.engine import URL

    query = {"sslmode": sslmode} if sslmode and sslmode != "prefer" else {}
    return URL.create("postgresql", username=user.strip(), host=host.strip(), port=int(port),
                      database=database.strip(), query=query).render_as_string(hide_password=False)


def with_password(url_text: str, password: str | None) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(url_text)
    return (url.set(password=password) if password else url).render_as_string(hide_password=False)


def connection_problem(url_text: str, message: str) -> str:
    """What a failed connection means, in words a facilitator can act on (never the password)."""
    from sqlalchemy.engine import make_url

    url = make_url(url_text)
    place = f"{url.host or 'localhost'}:{url.port or 5432}"
    said = message.split(": ", 1)[-1] if message.startswith("Cannot open the database ") else message
    lowered = said.lower()  # what the driver said, not the URL (which may itself say sslmode)
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return f"The server at {place} refused the user name or password for {url.username!r}; check them and try again."
    if "does not exist" in lowered and "database" in lowered:
        return f"The server at {place} has no database named {url.database!r}; ask whoever set it up for its name."
    if "ssl" in lowered:
        return (f"The server at {place} and this machine do not agree on SSL (sslmode="
                f"{url.query.get('sslmode', 'prefer')}): {said}")
    if any(word in lowered for word in ("refused", "could not connect", "timeout", "timed out", "no route",
                                        "name or service not known", "could not translate host name")):
        return (f"The team database server at {place} is not answering. Is it running, and is this machine "
                f"on the network? Your work is safe; try again in a moment.")
    return message


def connect(url_text: str):
    """open_database for the team database, with connection_problem's words on failure."""
    from alignwork.db import DatabaseUnavailable, open_database

    try:
        return open_database(url_text)
    except DatabaseUnavailable as error:
        raise DatabaseUnavailable(connection_problem(url_text, str(error))) from None


# ---------------------------------------------------------------- recent activity (Overview)

_ACTIVITY_SQL = {
    # plain SQL with typed columns: the Overview shows this at start, and going through the ORM
    # would build every room's tables before the window is ready
    "answer": """SELECT max(a.updated_at) AS at, a.changed_by AS who, p.name AS what FROM answer a
                 JOIN interview i ON i.id = a.interview_id JOIN participant p ON p.id = i.participant_id
                 WHERE i.workshop_id = :workshop AND a.changed_by <> '' GROUP BY a.changed_by, p.name""",
    "definition": """SELECT changed_at AS at, changed_by AS who, CAST(number AS VARCHAR) AS what
                     FROM definitionversion WHERE workshop_id = :workshop AND changed_by <> ''
                     AND changed_at IS NOT NULL""",
    "risk": """SELECT changed_at AS at, changed_by AS who, title AS what FROM risk
               WHERE workshop_id = :workshop AND changed_by <> '' AND changed_at IS NOT NULL""",
    "signer": """SELECT s.changed_at AS at, s.changed_by AS who, s.name AS what FROM signer s
                 JOIN definitionversion v ON v.id = s.version_id
                 WHERE v.workshop_id = :workshop AND s.changed_by <> '' AND s.changed_at IS NOT NULL""",
}
_ACTIVITY_WORDS = {
    "answer": lambda what: f"interviewed {what}",
    "definition": lambda what: "edited the definition draft" if what is None else f"saved version {what}",
    "risk": lambda what: f"changed the risk “{what}”",
    "signer": lambda what: f"added or changed the signer {what}",
}


def recent_activity(*, session: Session, workshop_id: int, limit: int = 6) -> list[tuple[datetime, str, str]]:
    """(when, who, what) of the latest changes in the workshop, newest first; one line per
    facilitator and thing (many answers in one interview are one line)."""
    from sqlalchemy import DateTime, String, text

    rows: list[tuple[datetime, str, str]] = []
    for kind, sql in _ACTIVITY_SQL.items():
        query = text(sql).columns(at=DateTime, who=String, what=String)
        for at, who, what in session.execute(query, {"workshop": workshop_id}):
            if at is not None:
                at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at
                rows.append((at, who, _ACTIVITY_WORDS[kind](what)))
    return sorted(rows, key=lambda row: row[0], reverse=True)[:limit]


def activity_line(when: datetime, who: str, what: str) -> str:
    return f"{_local(when):%d %b %H:%M} · {who} {what}"

"""PostgreSQL as a backend: migrations from nothing, plain messages for a server that is down
or a wrong password, sslmode passed through to libpq."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from alignwork.db import DatabaseUnavailable, head_revision, current_revision, open_database, postgres_driver_url
from tests.pgserver import ROLE, free_port


def test_migrations_build_the_schema_on_an_empty_postgres_database(pg_empty_url):
    database = open_database(pg_empty_url)
    try:
        assert database.engine.dialect.name == "postgresql"
        assert database.engine.dialect.driver == "psycopg"
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"workshop", "participant", "interview", "answer", "definitionversion", "signer", "risk"} <= tables
    finally:
        database.dispose()
    open_database(pg_empty_url).dispose()  # a second open finds it at head and changes nothing


def test_server_down_is_one_plain_sentence():
    url = f"postgresql://{ROLE}:x@127.0.0.1:{free_port()}/alignwork"
    with pytest.raises(DatabaseUnavailable) as raised:
        open_database(url)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    assert "127.0.0.1" in message and "x@" not in message  # the password is never echoed
    assert "refused" in message.lower() or "connect" in message.lower()


def test_wrong_password_is_named(pg_server):
    with pytest.raises(DatabaseUnavailable) as raised:
        open_database(pg_server.url("postgres", password="not-the-password"))
    message = str(raised.value)
    assert "password" in message.lower() and "not-the-password" not in message


def test_sslmode_passes_through_to_libpq(pg_server):
    url = pg_server.url("postgres") + "?sslmode=require"
    assert postgres_driver_url(url).query["sslmode"] == "require"
    with pytest.raises(DatabaseUnavailable) as raised:  # the test server has no TLS: libpq says so
        open_database(url)
    assert "ssl" in str(raised.value).lower()


def test_connections_probe_an_idle_network_and_the_url_still_wins(pg_server):
    database = open_database(pg_server.url("postgres") + "?keepalives_idle=42")
    try:
        with database.engine.connect() as connection:
            settings = connection.connection.driver_connection.info.get_parameters()
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        database.dispose()
    assert (settings["keepalives"], settings["keepalives_interval"], settings["keepalives_count"],
            settings["tcp_user_timeout"]) == ("1", "5", "3", "30000")
    assert settings["keepalives_idle"] == "42"


def test_team_connection_words_and_keyring(pg_server, memory_keyring):
    from alignwork import team

    url = team.team_url(host="127.0.0.1", port=pg_server.port, database="postgres", user=ROLE, sslmode="disable")
    assert "sslmode=disable" in url and ":" not in url.split("@")[0].removeprefix("postgresql://")
    with pytest.raises(DatabaseUnavailable, match="refused the user name or password for 'alignwork'"):
        team.connect(team.with_password(url, "wrong"))
    assert team.save_password(url, "team-secret-42")
    assert team.password_from_keyring(url) == "team-secret-42"
    team.connect(team.with_password(url, team.password_from_keyring(url))).dispose()
    team.save_settings(database_url=url, facilitator="Dana")
    saved = (team.data_dir() / team.SETTINGS_FILE).read_text()
    assert "team-secret-42" not in saved and "Dana" in saved
    down = team.team_url(host="127.0.0.1", port=free_port(), database="x", user=ROLE)
    with pytest.raises(DatabaseUnavailable, match="is not answering"):
        team.connect(team.with_password(down, "x"))

"""Roster CSV: what spreadsheets really export, and every problem by line number."""

from __future__ import annotations

import pytest

from alignwork import store
from alignwork.workshops.roster_csv import RosterCsvError, normalise_profile, parse_roster_csv


def test_aliases_case_and_unknown_columns():
    result = parse_roster_csv("Full Name,JOB TITLE,Segment,Territory,Rep type,Comments,Shoe size,\n"
                              "Dana Whitfield,Senior AE,Enterprise,North America,Rock Star,top closer,38,\n")
    assert result.rows == [{"name": "Dana Whitfield", "role": "Senior AE", "team": "Enterprise",
                            "region": "North America", "profile": "rock_star", "notes": "top closer"}]
    assert result.unknown_columns == ["Shoe size"]


@pytest.mark.parametrize("spoken,profile", [("rock star", "rock_star"), ("Rock-Star", "rock_star"),
                                            ("ROCKSTAR", "rock_star"), ("Engaged ", "engaged"),
                                            ("", "other"), ("other", "other"), ("superstar", None)])
def test_profile_tolerance(spoken, profile):
    assert normalise_profile(spoken) == profile


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_encodings_and_separators(encoding, separator):
    text = separator.join(["name", "team", "region"]) + "\r\n" + separator.join(["Lucía Fernández", "Mid-Market", "Zürich"]) + "\r\n"
    result = parse_roster_csv(text.encode(encoding))
    assert result.rows == [{"name": "Lucía Fernández", "team": "Mid-Market", "region": "Zürich"}]


def test_quoted_separators_and_multiline_values_keep_line_numbers():
    text = ('name;notes;profile\n'
            '"Ben; Jr.";"first line\nsecond line";engaged\n'
            'Kayla;;superstar\n')
    with pytest.raises(RosterCsvError) as caught:
        parse_roster_csv(text)
    assert caught.value.problems == ["line 4: profile 'superstar' is not one of rock star, engaged or other"]


def test_every_bad_row_is_reported_and_nothing_returned():
    text = "name,role\nAna,AE\n,SDR\n\nBo,AE,extra\n" + "X" * 201 + ",AE\n"
    with pytest.raises(RosterCsvError) as caught:
        parse_roster_csv(text)
    assert caught.value.problems == [
        "line 3: the name is empty",
        "line 5: 3 values but the header has 2 columns (a separator inside a value needs quotes)",
        "line 6: the name is longer than 200 characters",
    ]
    assert str(caught.value).startswith("line 3: the name is empty; line 5:")


@pytest.mark.parametrize("text,problem", [
    ("", "line 1: the file is empty"),
    ("role,team\nAE,SMB\n", "line 1: no name column in the header row (found 'role', 'team')"),
    ("Name,Full name\nA,B\n", "line 1: the columns 'Name' and 'Full name' both mean name"),
    ("name\n\n", "line 2: no reps below the header row"),
])
def test_files_that_cannot_be_a_roster(text, problem):
    with pytest.raises(RosterCsvError) as caught:
        parse_roster_csv(text)
    assert caught.value.problems[0].startswith(problem)


def test_rows_feed_the_store_all_or_nothing(session):
    workshop = store.create_workshop(session=session, name="Roster")
    rows = parse_roster_csv("name,profile\nAna,engaged\nBo,rock star\n").rows
    added = store.add_participants(session=session, workshop_id=workshop.id, rows=rows)
    assert [(p.name, p.profile, p.ref) for p in added] == [("Ana", "engaged", "p1"), ("Bo", "rock_star", "p2")]

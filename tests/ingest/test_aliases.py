"""The alias file: rules parse into person keys, and bad files say what is wrong."""

from __future__ import annotations

import pytest

from ingest.aliases import load_alias_rules, parse_alias_rules
from ingest.errors import ConfigError
from tests.conftest import REPO


def test_same_person_scoped_to_a_show() -> None:
    rules = parse_alias_rules(
        '[[same_person]]\nname = "Matthew Mercer"\naliases = ["MATT"]\nshow = "Critical Role"\n'
    )
    assert rules.resolve("matt", "critical role") == ("matthew mercer", "Matthew Mercer")
    # Another show's "Matt" is somebody else.
    assert rules.resolve("matt", "go time") == ("matt", None)


def test_different_people_are_kept_apart_per_show() -> None:
    rules = parse_alias_rules('[[different_people]]\nname = "Chris Evans"\n')
    assert rules.resolve("chris evans", "the daily show") == ("chris evans @ the daily show", None)
    assert rules.resolve("chris evans", "the one show") == ("chris evans @ the one show", None)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[same_persons]]\nname = 'x'\n", "unknown tables ['same_persons']"),
        ("[[same_person]]\naliases = ['x']\n", "same_person[0] needs a name"),
        ("[[same_person]]\nname = 'A B'\naliases = 3\n", "must be a name or a list of names"),
        (
            "[[same_person]]\nname='Ann Lee'\naliases=['AL']\n"
            "[[same_person]]\nname='Al Green'\naliases=['AL']\n",
            "'AL' is already an alias of 'Ann Lee'",
        ),
        ("[[same_person]]\nname = 'x\n", "not valid TOML"),
    ],
)
def test_bad_alias_files_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_alias_rules(text)
    assert message in str(info.value)


def test_the_shipped_alias_file_parses() -> None:
    rules = load_alias_rules(REPO / "aliases.toml")
    assert rules.resolve("matt", "critical role")[1] == "Matthew Mercer"
    assert rules.digest

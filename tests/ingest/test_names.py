"""Identity keys: which spellings and links count as the same person."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.names import href_key, person_key


@pytest.mark.parametrize(
    "name, key",
    [
        ("Dr. Jim Taylor", "jim taylor"),  # life-of-the-freelancer: "with Dr. Jim Taylor"
        ("Mireille B. Reece, Psy.D", "mireille b reece"),  # Changelog label with credential
        ("Senator Bob Dole", "bob dole"),
        ("Prof. Dr. Anna Schmidt, PhD", "anna schmidt"),  # stacked titles
        ("Martin Luther King Jr.", "martin luther king jr"),  # suffixes tell people apart
        ("Dr. Dre", "dr dre"),  # a stage name: stripping would leave one word
        ("Ms. iVee", "ms ivee"),  # the-half-show's "Ms. iVee" likewise
        ("Yo-Yo Ma", "yo-yo ma"),  # "MA" is not stripped as a credential
        ("Sister Act", "sister act"),
        ("  Raquel  Vélez ", "raquel vélez"),  # accents kept
    ],
)
def test_person_key(name: str, key: str) -> None:
    assert person_key(name) == key


@pytest.mark.parametrize(
    "href, key",
    [
        ("http://curry.com/", "curry.com"),  # Adam Curry, with and without trailing slash
        ("http://curry.com", "curry.com"),
        ("https://www.Curry.com/", "curry.com"),
        ("https://gist.github.com/brianoflondon/", "gist.github.com/brianoflondon"),
        ("https://example.org:443/p/?a=1#frag", "example.org/p?a=1"),
        ("https://example.org:8443/p", "example.org:8443/p"),
        ("mailto:someone@example.org", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_href_key(href: str | None, key: str | None) -> None:
    assert href_key(href) == key


@given(st.text())
def test_person_key_is_idempotent_and_never_raises(name: str) -> None:
    key = person_key(name)
    assert person_key(key) == key


@given(st.text())
def test_href_key_never_raises(href: str) -> None:
    href_key(href)

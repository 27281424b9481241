"""Every interface message has a Welsh translation, and no translation can break a page.

The completeness test extracts the messages the code uses now, with the same `makemessages`
options as `make messages`, from a copy of the package, and compares them with the committed
catalogue. A string added to a template or to Python without a Welsh translation fails here.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

import tip
from tests.conftest import World

PACKAGE_DIR = Path(tip.__file__).resolve().parent
CATALOGUE = PACKAGE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"
WELSH_PLURALS = 4
# The same options as the Makefile's `messages` target.
MAKEMESSAGES_OPTIONS = {"locale": ["cy"], "no_location": True, "no_obsolete": True}
GETTEXT_PROGRAMS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
# A printf-style directive: %(name)s, %s, %d, %.1f... and %% for a literal percent sign.
DIRECTIVE = re.compile(r"%(?:\((\w+)\))?[#0+-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?([diouxXeEfFgGcrsa%])")

Key = tuple[str, str]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def _describe(key: Key) -> str:
    context, msgid = key
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


def _committed() -> polib.POFile:
    assert CATALOGUE.exists(), f"No Welsh catalogue at {CATALOGUE}: run `make messages`."
    return polib.pofile(str(CATALOGUE))


def _live(entries: polib.POFile) -> list[polib.POEntry]:
    return [e for e in entries if not e.obsolete and e.msgid]


def _extract_current_messages(workdir: Path) -> polib.POFile:
    """Run makemessages for Welsh on a copy of the package, without the committed catalogue."""
    missing = [name for name in GETTEXT_PROGRAMS if shutil.which(name) is None]
    if missing:
        pytest.fail(
            "Extracting messages needs GNU gettext, and "
            + ", ".join(missing)
            + " could not be found. Install gettext (`make gettext-deps` does it as root; "
            "otherwise `sudo apt-get install gettext`, or `brew install gettext` on macOS).",
            pytrace=False,
        )
    source = workdir / "tip"
    shutil.copytree(
        PACKAGE_DIR, source, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo")
    )
    locale_dir = source / "locale"
    locale_dir.mkdir()
    with override_settings(LOCALE_PATHS=[locale_dir]), pytest.MonkeyPatch.context() as patch:
        patch.chdir(source)
        call_command("makemessages", verbosity=0, **MAKEMESSAGES_OPTIONS)
    return polib.pofile(str(locale_dir / "cy" / "LC_MESSAGES" / "django.po"))


def _untranslated(entry: polib.POEntry | None, msgid_plural: str) -> str | None:
    """Why `entry` does not count as a Welsh translation, or None when it does."""
    if entry is None or entry.obsolete:
        return "not in the catalogue"
    if entry.fuzzy:
        return "marked fuzzy"
    if msgid_plural:
        if entry.msgid_plural != msgid_plural:
            return f"plural should be {msgid_plural!r}"
        forms = entry.msgstr_plural
        if sorted(forms) != list(range(WELSH_PLURALS)) or not all(forms.values()):
            return f"needs all {WELSH_PLURALS} Welsh plural forms"
    elif not entry.msgstr:
        return "no translation"
    return None


def test_every_message_has_a_welsh_translation(tmp_path: Path) -> None:
    current = _extract_current_messages(tmp_path)
    committed = {_key(e): e for e in _live(_committed())}
    problems = []
    for entry in _live(current):
        reason = _untranslated(committed.get(_key(entry)), entry.msgid_plural)
        if reason:
            problems.append(f"  {_describe(_key(entry))}: {reason}")
    assert not problems, (
        f"{len(problems)} message(s) in the code lack a Welsh translation in "
        "src/tip/locale/cy/LC_MESSAGES/django.po. Run `make messages`, translate them "
        "(see docs/translations.md) and remove any fuzzy flags:\n" + "\n".join(problems)
    )


def test_catalogue_is_welsh_with_four_plural_forms() -> None:
    catalogue = _committed()
    assert catalogue.metadata.get("Language") == "cy"
    plural_forms = " ".join(catalogue.metadata.get("Plural-Forms", "").split())
    assert plural_forms == (
        "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
    )
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    assert not catalogue.metadata_is_fuzzy, "Remove the fuzzy flag from the catalogue header."


def _placeholders(text: str, python_format: bool) -> list[str]:
    """The named placeholders, sorted, and in a python-format message one "" for each unnamed
    one (%s). %% is a percent sign, not a placeholder."""
    found = [name for name, kind in DIRECTIVE.findall(text) if kind != "%"]
    return sorted(name for name in found if name or python_format)


def _is_format(original: str) -> bool:
    """gettext marks a message python-format when it merely looks like one ("a 95% confidence
    interval" reads as the directive "% c"); a message with no placeholder of ours whose English
    does not format either is never %-formatted, so its translation need not format."""
    if any(kind != "%" for _name, kind in DIRECTIVE.findall(original)):
        return True
    try:
        original % ()
    except (ValueError, TypeError):
        return False
    return True


def test_translations_keep_the_placeholders() -> None:
    problems = []
    for entry in _live(_committed()):
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        for original, translation in pairs:
            if not translation:
                continue
            python_format = "python-format" in entry.flags and _is_format(original)
            expected = _placeholders(original, python_format)
            found = _placeholders(translation, python_format)
            if found != expected:
                problems.append(f"  {_describe(_key(entry))}: has {found}, needs {expected}")
            elif python_format:
                # A value of the kind the English expects: a number for %d, text for %s.
                kinds = [(n, k) for n, k in DIRECTIVE.findall(original) if k != "%"]
                values = [1 if kind in "diouxXeEfFgGc" else "x" for _n, kind in kinds]
                names = {n: v for (n, _k), v in zip(kinds, values, strict=True) if n}
                args = names or tuple(values)
                try:
                    translation % args
                except (ValueError, TypeError, KeyError) as error:
                    problems.append(f"  {_describe(_key(entry))}: does not format ({error})")
    assert not problems, "Welsh translations whose placeholders differ:\n" + "\n".join(problems)


@pytest.fixture
def welsh_catalogue(tmp_path: Path) -> Iterator[None]:
    """Serve the committed catalogue, compiled afresh, so the page tests never read a stale .mo."""
    locale_dir = tmp_path / "locale"
    target = locale_dir / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    _committed().save_as_mofile(str(target / "django.mo"))
    with override_settings(LOCALE_PATHS=[locale_dir]):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("welsh_catalogue")
def test_pages_render_in_welsh_with_the_language_cookie() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    start = html.unescape(client.get(reverse("core:start")).content.decode())
    assert '<html lang="cy"' in start
    assert "Neidio i'r prif gynnwys" in start
    assert "Mewngofnodi" in start
    assert "Skip to main content" not in start
    sign_in = client.get(reverse("core:sign-in")).content.decode()
    assert '<html lang="cy"' in sign_in
    assert "Cyfrinair" in sign_in


@pytest.mark.usefixtures("welsh_catalogue")
def test_choosing_welsh_translates_the_signed_in_pages(world_a: World, client_for) -> None:
    client = client_for(world_a.user("partnership_admin"))
    dashboard = reverse("core:dashboard")
    response = client.post(reverse("set_language"), {"language": "cy", "next": dashboard})
    assert response.status_code == 302
    page = client.get(dashboard).content.decode()
    assert '<html lang="cy"' in page
    for welsh in ("Dangosfwrdd", "Allgofnodi", "Sefydliadau", "Datganiad hygyrchedd"):
        assert welsh in page, welsh
    assert "Sign out" not in page
    client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert '<html lang="en"' in client.get(dashboard).content.decode()

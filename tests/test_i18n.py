"""The Simplified Chinese catalogue is complete, correct in form and up to date.

zh-Hans is the default language, so an untranslated or fuzzy entry shows English (or a
wrong guess from msgmerge) to a village child director. These tests read the committed
``shouwang/locale/zh_Hans/LC_MESSAGES/django.po`` with a small parser of our own (no
polib), and check:

- every entry is translated and none is fuzzy or obsolete;
- every placeholder (``%(name)s``) of the English appears in the Chinese, and no other;
- the Chinese follows the style rules of docs/i18n/glossary.zh-Hans.md (full-width
  punctuation, 您 not 你);
- ``makemessages`` run on the current source would produce the same set of msgids (the
  catalogue is not stale);
- Django serves the catalogue: ``gettext`` under ``override("zh-hans")`` gives the Chinese.

The workflow is in docs/i18n.md. The last two tests need GNU gettext (``xgettext``,
``msgmerge``, ``msgfmt``), which CI installs (Debian: ``apt-get install gettext``).
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "shouwang"
LOCALE_DIR = PACKAGE_DIR / "locale"
PO_RELATIVE = Path("zh_Hans") / "LC_MESSAGES" / "django.po"
PO_FILE = LOCALE_DIR / PO_RELATIVE

# The options of the documented command (docs/i18n.md), shared by the staleness test.
MAKEMESSAGES_OPTIONS = [
    "-l", "zh_Hans",
    "--ignore=.venv", "--ignore=bench", "--ignore=*/tests/*", "--ignore=tests",
    "--no-obsolete", "--add-location", "file",
]  # fmt: skip
MAKEMESSAGES_COMMAND = (
    "cd <repository root> && SECRET_KEY=x DATABASE_URL=sqlite://:memory: "
    ".venv/bin/shouwang makemessages -l zh_Hans --ignore=.venv --ignore=bench "
    "--ignore='*/tests/*' --ignore=tests --no-obsolete --add-location file"
)
FIX_HINT = (
    f"Regenerate the catalogue with\n    {MAKEMESSAGES_COMMAND}\n"
    "then translate every new entry, remove every '#, fuzzy' flag after checking the "
    "translation, and compile (see docs/i18n.md)."
)

# Translations other tests and pages rely on verbatim.
REQUIRED = {
    "Register a child": "登记儿童",
    "The date of birth cannot be in the future.": "出生日期不能晚于今天。",
    "Log in": "登录",
    "Children": "儿童",
    "Not found": "未找到",
}

# %(name)s, %(age)d, %(x)05.2f ... (a literal percent sign is written %%).
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
HAN = re.compile(r"[\u3400-\u9fff]")
# ASCII punctuation that has a full-width form in Chinese text (。 is checked separately).
HALF_WIDTH = re.compile(r"[,;:?!()]")
ASCII_FULL_STOP = re.compile(r"(?<!\d)\.|\.(?!\d)")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self) -> str:
        ctx = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"line {self.line}: {self.msgid!r}{ctx}"


def _unquote(text: str) -> str:
    # A PO string is a C-style string literal; these escapes read the same in Python.
    value = ast.literal_eval(text.strip())
    assert isinstance(value, str)
    return value


def parse_po(path: Path) -> list[Entry]:
    """The entries of a PO file (header included), in file order.

    Entries are separated by blank lines, as xgettext and msgmerge write them.
    """
    entries: list[Entry] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    entry: Entry | None = None
    target = ""
    for number, raw in enumerate([*lines, ""], start=1):
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, target = None, ""
            continue
        entry = entry or Entry(line=number)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            pass  # translator and extracted comments, locations, previous msgids (#|)
        elif line.startswith('"'):
            assert target, f"{path}:{number}: a continuation line without a keyword"
            _append(entry, target, _unquote(line))
        else:
            keyword, _sep, rest = line.partition(" ")
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                assert index == len(entry.msgstrs), f"{path}:{number}: msgstr out of order"
                entry.msgstrs.append("")
            elif keyword == "msgid":
                entry.line = number
            elif keyword not in {"msgid_plural", "msgctxt"}:
                msg = f"{path}:{number}: unexpected line {raw!r}"
                raise AssertionError(msg)
            target = keyword
            _append(entry, target, _unquote(rest))
    return entries


def _append(entry: Entry, target: str, text: str) -> None:
    if target.startswith("msgstr"):
        entry.msgstrs[-1] += text
    elif target == "msgid":
        entry.msgid += text
    elif target == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries: everything but the header and obsolete entries."""
    return [e for e in entries if e.msgid and not e.obsolete]


def header(entries: list[Entry]) -> dict[str, str]:
    head = next(e for e in entries if e.msgid == "" and not e.obsolete)
    lines = head.msgstrs[0].strip("\n").split("\n")
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_FILE.is_file(), f"{PO_FILE} is missing. {FIX_HINT}"
    return parse_po(PO_FILE)


def test_the_catalogue_is_where_django_looks_for_it(catalogue: list[Entry]) -> None:
    assert LOCALE_DIR in [Path(p) for p in settings.LOCALE_PATHS]
    assert settings.LANGUAGE_CODE == "zh-hans"
    head = header(catalogue)
    assert head.get("Language") == "zh_Hans"
    assert head.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert head.get("Content-Type") == "text/plain; charset=UTF-8"
    assert "fuzzy" not in catalogue[0].flags, "the header is marked fuzzy: remove the flag"


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(catalogue: list[Entry]) -> None:
    obsolete = [str(e) for e in catalogue if e.obsolete]
    fuzzy = [str(e) for e in messages(catalogue) if "fuzzy" in e.flags]
    untranslated = [
        str(e)
        for e in messages(catalogue)
        if not e.msgstrs or any(not s.strip() for s in e.msgstrs)
    ]
    wrong_plural_count = [
        str(e) for e in messages(catalogue) if e.msgid_plural is not None and len(e.msgstrs) != 1
    ]
    problems = {
        "untranslated": untranslated,
        "fuzzy (check the translation, then remove the flag)": fuzzy,
        "obsolete (run makemessages with --no-obsolete)": obsolete,
        "plural entries need exactly one msgstr[0] (nplurals=1)": wrong_plural_count,
    }
    report = "\n".join(
        f"{title}:\n  " + "\n  ".join(items) for title, items in problems.items() if items
    )
    assert not report, f"{PO_FILE}:\n{report}"


def test_the_catalogue_has_no_duplicate_entries(catalogue: list[Entry]) -> None:
    keys = [e.key for e in messages(catalogue)]
    assert len(keys) == len(set(keys))


def test_translations_keep_the_placeholders_of_the_english(catalogue: list[Entry]) -> None:
    wrong = [
        f"{e}: expects {sorted(expected)}, msgstr has {sorted(placeholders(s))}"
        for e in messages(catalogue)
        for expected in [placeholders(e.msgid) | placeholders(e.msgid_plural or "")]
        for s in e.msgstrs
        if placeholders(s) != expected
    ]
    assert not wrong, "placeholders differ:\n  " + "\n  ".join(wrong)


def test_the_required_translations(catalogue: list[Entry]) -> None:
    found = {e.msgid: e.msgstrs[0] for e in messages(catalogue) if e.msgctxt is None}
    assert {k: found.get(k) for k in REQUIRED} == REQUIRED


def test_chinese_style_full_width_punctuation_and_honorific(catalogue: list[Entry]) -> None:
    """docs/i18n/glossary.zh-Hans.md: full-width punctuation, 您, no stray spaces."""
    wrong = []
    for e in messages(catalogue):
        for s in e.msgstrs:
            bare = PLACEHOLDER.sub("", s.replace("%%", ""))
            if HAN.search(bare) and (HALF_WIDTH.search(bare) or ASCII_FULL_STOP.search(bare)):
                wrong.append(f"{e}: half-width punctuation in {s!r}")
            if "你" in s:
                wrong.append(f"{e}: use 您, not 你: {s!r}")
            if s != s.strip() and e.msgid == e.msgid.strip():
                wrong.append(f"{e}: leading or trailing space in {s!r}")
            if "  " in s or "\u3000" in s:
                wrong.append(f"{e}: double or full-width space in {s!r}")
            if e.msgid.endswith(".") and HAN.search(s) and not s.endswith("。"):
                wrong.append(f"{e}: a sentence should end with 。: {s!r}")
    assert not wrong, "\n  ".join(["style problems:", *wrong])


def _require_gettext(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"GNU gettext tools missing: {', '.join(missing)} "
            "(Debian: apt-get install gettext; CI installs it)"
        )


def test_the_catalogue_is_up_to_date_with_the_source(tmp_path: Path) -> None:
    """makemessages on a copy of shouwang/ finds exactly the committed catalogue's msgids."""
    _require_gettext("xgettext", "msgmerge", "msguniq", "msgattrib")
    tree = tmp_path / "tree"
    shutil.copytree(
        PACKAGE_DIR,
        tree / "shouwang",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.po"),
    )
    # Settings that write the catalogue into the copy, whichever shouwang gets imported.
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "i18n_check_settings.py").write_text(
        "from pathlib import Path\n"
        "from shouwang.config.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [Path({str(tree / 'shouwang' / 'locale')!r})]\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(settings_dir), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "SECRET_KEY": "x",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own interpreter)
        [sys.executable, "-m", "django", "makemessages", *MAKEMESSAGES_OPTIONS],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    regenerated_po = tree / "shouwang" / "locale" / PO_RELATIVE
    assert regenerated_po.is_file(), f"makemessages wrote no {PO_RELATIVE}:\n{result.stdout}"

    source = {e.key for e in messages(parse_po(regenerated_po))}
    committed = {e.key for e in messages(parse_po(PO_FILE))}
    missing, extra = sorted(source - committed, key=str), sorted(committed - source, key=str)

    def show(keys: list[tuple[str | None, str, str | None]]) -> str:
        return "\n  ".join(repr(k[1]) + (f" (context {k[0]!r})" if k[0] else "") for k in keys)

    assert not (missing or extra), (
        f"{PO_FILE} is stale.\n"
        + (f"In the source but not in the catalogue:\n  {show(missing)}\n" if missing else "")
        + (f"In the catalogue but no longer in the source:\n  {show(extra)}\n" if extra else "")
        + FIX_HINT
    )


@pytest.fixture
def compiled_locale(tmp_path: Path) -> Iterator[Path]:
    """The committed catalogue compiled into a temporary LOCALE_PATHS (no .mo in the tree)."""
    _require_gettext("msgfmt")
    locale = tmp_path / "locale"
    mo = locale / PO_RELATIVE.with_suffix(".mo")
    mo.parent.mkdir(parents=True)
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        ["msgfmt", "--check-format", "-c", "-o", str(mo), str(PO_FILE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"msgfmt rejects {PO_FILE}:\n{result.stderr}")
    # Changing LOCALE_PATHS makes Django drop its cached translations (setting_changed),
    # on the way in and on the way out.
    with override_settings(LOCALE_PATHS=[locale]):
        yield locale


@pytest.mark.usefixtures("compiled_locale")
def test_django_serves_the_chinese_and_the_english() -> None:
    with translation.override("zh-hans"):
        assert gettext("Register a child") == "登记儿童"
        for english, chinese in REQUIRED.items():
            assert gettext(english) == chinese
        assert ngettext("%(counter)s child", "%(counter)s children", 3) % {"counter": 3} == (
            "共3名儿童"
        )
    with translation.override("en"):
        assert gettext("Register a child") == "Register a child"
        for english in REQUIRED:
            assert gettext(english) == english
        assert ngettext("%(counter)s child", "%(counter)s children", 1) % {"counter": 1} == (
            "1 child"
        )
        assert ngettext("%(counter)s child", "%(counter)s children", 3) % {"counter": 3} == (
            "3 children"
        )

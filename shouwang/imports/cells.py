"""Reading one spreadsheet cell the way people type it. Pure: no ORM, no Django settings.

Every reader takes the raw value python-calamine gives (``str``, ``int``, ``float``,
``bool``, ``date``, ``datetime``, ``timedelta`` or ``""``) and returns the parsed value or
raises ``CellError`` with a translated message that tells how to fix the cell.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from django.utils.translation import gettext as _

# Excel's day zero for serial dates (the 1900 system, with Lotus's phantom 29 Feb 1900).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers that are plausible dates of birth or events: 1 Jan 1920 .. 31 Dec 2099.
SERIAL_MIN, SERIAL_MAX = 7306, 73415

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$"),  # 2010-05-03, 2010.5.3
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),  # 2010年5月3日
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20100503
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_text(value: object) -> str:
    """NFKC (full-width digits and letters to ASCII, ideographic space to space), trimmed,
    inner runs of whitespace collapsed to one space. Numbers typed in a text column come
    back as they were typed (``12.0`` -> ``"12"``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def parse_date(value: object) -> dt.date | None:  # noqa: PLR0911  (one return per form)
    """A date as people type it: 2010-05-03, 2010.5.3, 2010/5/3, 2010年5月3日, 20100503,
    an Excel date cell, or an Excel serial number (40301)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and SERIAL_MIN <= value <= SERIAL_MAX:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("This number is not a date. Please write the date as 2010-05-03."))
    text = clean_text(value)
    if not text:
        return None
    if text.isdigit() and len(text) == 5:  # a serial number stored as text
        return parse_date(int(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise CellError(_("%(text)s is not a real date.") % {"text": text}) from None
    raise CellError(
        _("%(text)s is not a date we can read. Please write it as 2010-05-03.") % {"text": text}
    )


def parse_id_number(value: object) -> str:
    """The 18-character ID number, as text. A number cell is refused: Excel keeps only 15
    significant digits, so the last digits of an 18-digit number typed as a number are
    already lost and cannot be recovered here."""
    if value is None or value == "":
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            _(
                "Excel stored this ID number as a number and has lost its last digits. "
                "Format the column as Text (右键 → 设置单元格格式 → 文本), type the number "
                "again from the ID card or household register, and import again."
            )
        )
    text = clean_text(value).replace(" ", "")
    if _SCIENTIFIC.match(text):
        raise CellError(
            _(
                "This ID number is in scientific notation (%(text)s): Excel has lost its last "
                "digits. Format the column as Text, type the number again, and import again."
            )
            % {"text": text}
        )
    return text.upper()


def parse_year(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.year
    text = clean_text(value).removesuffix("年")
    if text.isdigit() and len(text) == 4:
        return int(text)
    raise CellError(_("Please write a year with four digits, such as 1960."))


def parse_int(value: object) -> int | None:
    if value is None or value == "":
        return None
    text = clean_text(value)
    if text.isdigit():
        return int(text)
    raise CellError(_("Please write a whole number."))


_TRUE = {"是", "有", "√", "✓", "y", "yes", "true", "1", "对"}
_FALSE = {"否", "无", "没有", "×", "n", "no", "false", "0", "不是"}


def parse_bool(value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Please write 是 (yes) or 否 (no)."))


def parse_choice(value: object, lookup: Mapping[str, str], shown: list[str]) -> str:
    """A closed value: the stored code, or its label in Chinese or English (any case)."""
    text = clean_text(value)
    if not text:
        return ""
    code = lookup.get(text.lower())
    if code is None:
        raise CellError(
            _("%(text)s is not one of the allowed values: %(allowed)s.")
            % {"text": text, "allowed": "、".join(shown)}
        )
    return code

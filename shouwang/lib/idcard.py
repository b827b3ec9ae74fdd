"""Validation of the 18-character resident identity card number (GB 11643-1999).

python-stdnum (``stdnum.cn.ric``) checks the length, the ISO 7064 MOD 11-2 check digit,
that the birth date is a real date, and that the region code was in use in the birth
year. We add what it lacks: no birth date in the future, the date and sex encoded in the
number must agree with the record, and (for a child) the age must be that of a minor.

An unknown region code is only a warning: stdnum's region table is compiled from public
lists and can lag behind re-organised counties, and a village must be able to register a
child whose ID was issued by a county the table does not know.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from shouwang.lib.dates import full_years


@dataclass(frozen=True)
class IdCheck:
    number: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    birth_date: dt.date | None = None
    sex: str | None = None  # "male" / "female", from the sequence digit's parity

    @property
    def ok(self) -> bool:
        return not self.errors


def compact(number: str) -> str:
    """Drop spaces and dashes (as typed or pasted); upper-case the check character x."""
    return "".join(ch for ch in number if not ch.isspace() and ch != "-").upper()


def _structural_error(value: str) -> str | None:
    """Length, characters, check digit and a real birth date: what makes a number readable."""
    try:
        if len(value) != 18:
            raise InvalidLength
        if not value[:-1].isdigit() or not (value[-1].isdigit() or value[-1] == "X"):
            raise InvalidFormat
        if value[-1] != ric.calc_check_digit(value):
            raise InvalidChecksum
        ric.get_birth_date(value)
    except InvalidLength:
        return str(_("An ID number has 18 characters."))
    except InvalidFormat:
        return str(_("An ID number has 17 digits followed by a digit or X."))
    except InvalidChecksum:
        return str(_("The check digit does not match: please check the number for a typo."))
    except InvalidComponent:
        return str(_("The birth date in the ID number is not a real date."))
    return None


def check_id_number(
    number: str,
    *,
    today: dt.date,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    max_age: int | None = None,
) -> IdCheck:
    """Check a resident ID number; return its errors (blocking) and warnings."""
    value = compact(number)
    errors: list[str] = []
    warnings: list[str] = []
    structural = _structural_error(value)
    if structural:
        return IdCheck(number=value, errors=[structural])
    encoded_birth = ric.get_birth_date(value)

    encoded_sex = "male" if int(value[16]) % 2 == 1 else "female"
    if encoded_birth > today:
        errors.append(str(_("The birth date in the ID number is in the future.")))
    if birth_date is not None and birth_date != encoded_birth:
        errors.append(
            str(_("The ID number gives the birth date %(date)s, which differs from the record."))
            % {"date": encoded_birth.isoformat()}
        )
    if sex in {"male", "female"} and sex != encoded_sex:
        errors.append(str(_("The sex encoded in the ID number differs from the record.")))
    if (
        max_age is not None
        and encoded_birth <= today
        and full_years(encoded_birth, today) > max_age
    ):
        errors.append(
            str(_("The ID number belongs to someone aged %(age)d, not a child."))
            % {"age": full_years(encoded_birth, today)}
        )
    if not _region_known(value[:6], encoded_birth.year):
        warnings.append(
            str(
                _(
                    "The region code %(code)s is not in our table for the birth year; "
                    "please check it against the ID card."
                )
            )
            % {"code": value[:6]}
        )
    return IdCheck(
        number=value, errors=errors, warnings=warnings, birth_date=encoded_birth, sex=encoded_sex
    )


@functools.lru_cache(maxsize=8192)
def _region_known(region: str, year: int) -> bool:
    """Whether the region code was in use in the birth year (stdnum's table lookup costs
    about 0.1 ms, and a census import asks for the same few codes and years again and
    again, so the answer is memoised on the two values it depends on)."""
    try:
        ric.get_birth_place(f"{region}{year:04d}01010000")
    except (InvalidComponent, KeyError):  # KeyError: a province prefix with no county entry
        return False
    return True


def make_id_number(region: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number (demo data and tests): region + date + 3-digit sequence + check."""
    body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character

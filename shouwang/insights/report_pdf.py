"""The diagnostic report as a PDF (fpdf2), with an embedded CJK font from the system.

The font is never bundled and never fetched: ``SHOUWANG_PDF_FONT`` names a TrueType/OpenType
file (``path`` or ``path#index`` for one face of a ``.ttc`` collection); when it is empty,
the known Debian paths below are tried in order. Without a font the caller gets
``FontMissingError`` and shows an error page: a PDF of empty boxes is worse than no PDF.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF

from shouwang.insights.report import Report

# (path, face index in a collection). Noto Sans CJK's .ttc holds JP, KR, SC, TC, HK in that
# order: index 2 is Simplified Chinese.
DEBIAN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # fonts-noto-cjk
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),  # fonts-droid-fallback
)
FAMILY = "cjk"


class FontMissingError(Exception):
    """No CJK font file could be found (developer-facing; the view shows a translated page)."""


@dataclass(frozen=True)
class FontChoice:
    path: Path
    index: int


def find_font() -> FontChoice:
    configured = getattr(settings, "SHOUWANG_PDF_FONT", "") or ""
    if configured:
        path, _sep, index = configured.partition("#")
        candidates = [(path, int(index) if index.isdigit() else 0)]
    else:
        candidates = list(DEBIAN_FONTS)
    for path, index in candidates:
        if Path(path).is_file():
            return FontChoice(Path(path), index)
    tried = ", ".join(p for p, _i in candidates)
    msg = f"no CJK font found (tried {tried}); set SHOUWANG_PDF_FONT"
    raise FontMissingError(msg)


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 8, self.footer_text % {"n": self.page_no()}, align="C")


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes, in the active language (raises ``FontMissingError``)."""
    font = find_font()
    pdf = _ReportPDF(format="A4")
    pdf.footer_text = _("Shouwang diagnostic report · page %(n)s")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font(FAMILY, fname=str(font.path), collection_font_number=font.index)
    pdf.set_title(report.title)
    pdf.set_creator("Shouwang")
    pdf.add_page()

    def heading(text: str, size: float) -> None:
        pdf.set_font(FAMILY, size=size)
        pdf.set_text_color(20, 20, 20)
        pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def para(text: str, *, muted: bool = False, bullet: bool = False) -> None:
        pdf.set_font(FAMILY, size=10.5)
        pdf.set_text_color(*((100, 100, 100) if muted else (30, 30, 30)))
        # A no-break space keeps the bullet with a Chinese sentence (which has no spaces to
        # break at: with a plain space the bullet stood alone on its line).
        text = f"•\u00a0{text}" if bullet else text
        pdf.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)

    heading(report.title, 17)
    para(report.subtitle, muted=True)
    para(report.frame, muted=True)
    pdf.ln(2)

    heading(_("1. Problems found"), 13.5)
    if report.problems:
        for problem in report.problems:
            para(problem.heading)
            for line in problem.lines:
                para(line, bullet=True)
    else:
        para(report.no_problem_text)
    pdf.ln(2)

    heading(_("2. Causes"), 13.5)
    if not report.causes:
        para(_("No cause is derived: no indicator crossed its threshold."))
    for aspect in report.cause_aspects:
        heading(aspect.title, 11.5)
        for cause in aspect.causes:
            para(cause.text, bullet=True)
    pdf.ln(2)

    heading(_("3. Recommendations by welfare sector"), 13.5)
    if not report.recommendations:
        para(_("Keep the present arrangement and watch the indicators month by month."))
    for sector in report.sector_recommendations:
        heading(sector.title, 11.5)
        for rec in sector.recommendations:
            para(rec.text, bullet=True)
    pdf.ln(3)
    para(report.method_note, muted=True)
    return bytes(pdf.output())

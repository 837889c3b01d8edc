"""The report's charts, its printable HTML and its PDF, rendered with WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from committee.figures import report_figures
from committee.models import CAPACITY_DIMENSIONS, Report, ReportRender
from core.charts import PDF_CSS, bar_chart, line_chart
from core.services import job_finish, job_progress, job_start

STEPS = ("Computing the figures", "Drawing the charts", "Rendering the PDF", "Saving")


def report_charts(figures: dict[str, Any]) -> dict[str, SafeString]:
    """Return the report's SVG charts, drawn from its frozen figures."""
    if not figures:
        return {}
    months = figures["contacts"]["by_month"]
    charts = {
        "contacts": line_chart(
            title="Doors knocked and conversations by month",
            series={
                "Doors knocked": [(m["month"], m["doors"]) for m in months],
                "Conversations": [(m["month"], m["conversations"]) for m in months],
            },
        ),
        "assistance": bar_chart(
            title="Requests for help opened, by kind",
            bars=list(figures["assistance"]["opened_by_kind"].items()),
        ),
        "capacity": bar_chart(
            title="Average capacity self-assessment (1 to 5)",
            bars=[
                (name.capitalize(), value or 0)
                for name, value in figures["capacity"]["averages"].items()
                if name in CAPACITY_DIMENSIONS
            ],
        ),
    }
    if figures["endorsements"]:
        charts["endorsements"] = bar_chart(
            title="National endorsement requests by status", bars=list(figures["endorsements"].items())
        )
    return charts


def report_html(report: Report) -> str:
    """Return the report as a standalone printable HTML document."""
    return render_to_string(
        "committee/report_pdf.html",
        {
            "report": report,
            "figures": report.figures,
            "charts": report_charts(report.figures),
            "sections": list(report.sections.all()),
            "pdf_css": PDF_CSS,
        },
    )


def report_render(*, render_id: int) -> ReportRender:
    """Compute the figures, draw the charts and render the PDF; a finished render is left as it is."""
    from weasyprint import HTML

    render = ReportRender.objects.select_related("report").get(pk=render_id)
    if render.is_finished:
        return render
    report = render.report
    started = timezone.now()
    job_start(render, total=len(STEPS), phase=STEPS[0])
    try:
        report.figures = report_figures(period_start=report.period_start, period_end=report.period_end)
        job_progress(render, done=1, phase=STEPS[1])
        html = report_html(report)
        job_progress(render, done=2, phase=STEPS[2])
        pdf = HTML(string=html).write_pdf()
        job_progress(render, done=3, phase=STEPS[3])
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.is_published:
                raise RuntimeError("The report was published while it rendered.")
            locked.figures = report.figures
            locked.pdf.save(f"{report.slug}.pdf", ContentFile(pdf or b""), save=False)
            locked.rendered_at = started
            locked.save(update_fields=["figures", "pdf", "rendered_at"])
    except Exception as error:
        job_finish(render, status=ReportRender.Status.FAILED, error=f"The render failed: {error}")
        raise
    job_progress(render, done=len(STEPS))
    job_finish(render)
    return render

"""The reviewers' packet: questionnaire answers, dossier, chapter vote, local plan and timeline, as a PDF."""

from __future__ import annotations

import weasyprint
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from core.charts import PDF_CSS, bar_chart
from core.services import job_finish, job_progress, job_start
from endorsements import selectors, services
from endorsements.models import PacketJob

PHASES = ("Gathering the record", "Laying out the packet", "Rendering the PDF", "Saving")


def packet_render(job: PacketJob) -> PacketJob:
    """Render the packet for the job's endorsement and attach it to the job."""
    endorsement = job.endorsement
    job_start(job, total=len(PHASES), phase=PHASES[0])
    vote = selectors.vote_current(endorsement=endorsement)
    tally = services.vote_tally(vote) if vote else None
    context = {
        "endorsement": endorsement,
        "questionnaire": selectors.questionnaire_returned(endorsement=endorsement),
        "dossier": selectors.dossier_get(endorsement=endorsement),
        "plan": selectors.local_plan_get(endorsement=endorsement),
        "vote": vote,
        "tally": tally,
        "vote_chart": bar_chart(
            title="Chapter vote", bars=[("Yes", tally.yes), ("No", tally.no), ("Abstain", tally.abstain)]
        )
        if tally
        else "",
        "timeline": selectors.timeline_list(endorsement=endorsement),
        "national_request": getattr(endorsement, "national_request", None),
        "generated_at": timezone.now(),
        "pdf_css": PDF_CSS,
    }
    job_progress(job, done=1, phase=PHASES[1])
    html = render_to_string("endorsements/packet.html", context)
    job_progress(job, done=2, phase=PHASES[2])
    pdf = weasyprint.HTML(string=html).write_pdf()
    job_progress(job, done=3, phase=PHASES[3])
    filename = f"packet-{endorsement.chapter.slug}-{endorsement.pk}-{job.pk}.pdf"
    job.file.save(filename, ContentFile(pdf), save=False)
    job_finish(job, file=job.file.name)
    return job

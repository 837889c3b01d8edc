"""Every committee page opens for the people it is for, with real data on it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from committee import services


def test_nec_and_chapter_pages_open(client, term, cochairs, seats, field, organizer, chair):
    cochair = cochairs[0].holder
    request = services.assistance_request_file(
        chapter=organizer.chapter, kind="press", description="Press help", urgency="high", actor=organizer.user
    )
    training = services.training_create(
        title="Press skills", starts_at=timezone.now() + timedelta(days=2), format="online", capacity=5,
        host_subcommittee=field, actor=cochair,
    )  # fmt: skip
    services.training_signup(training=training, user=organizer.user, chapter=organizer.chapter)
    table = services.statewide_table_create(state="NC", name="NC table", chapters=[organizer.chapter], actor=cochair)
    report = services.report_create(
        title="Q report", period_start=timezone.localdate() - timedelta(days=30), period_end=timezone.localdate(),
        actor=cochair,
    )  # fmt: skip
    services.capacity_assessment_submit(
        chapter=organizer.chapter, scores=dict.fromkeys(("field", "data", "messaging", "research", "fundraising",
                                                         "compliance"), 2), comments="", actor=organizer.user,
    )  # fmt: skip
    nec_pages = [
        reverse("committee:nec_home"),
        reverse("committee:nec_request_list") + "?status=new&open_only=on",
        reverse("committee:nec_request_detail", kwargs={"pk": request.pk}),
        reverse("committee:heatmap") + "?dimension=field&quarters=8",
        reverse("committee:feedback_list"),
        reverse("committee:term_list"),
        reverse("committee:term_detail", kwargs={"pk": term.pk}),
        reverse("committee:subcommittee_detail", kwargs={"pk": field.pk}),
        reverse("committee:nec_training_create"),
        reverse("committee:table_create"),
        reverse("committee:report_list"),
        reverse("committee:report_detail", kwargs={"pk": report.pk}),
        reverse("committee:training_attendance", kwargs={"pk": training.pk}),
        reverse("committee:training_detail", kwargs={"pk": training.pk}),
        reverse("committee:table_list"),
        table.get_absolute_url(),
    ]
    client.force_login(cochair)
    for url in nec_pages:
        assert client.get(url).status_code == 200, url
    names = ("request_list", "feedback_give", "capacity", "chapter_training_create")
    chapter_pages = [reverse(f"committee:{name}", kwargs={"chapter": organizer.chapter.slug}) for name in names]
    chapter_pages += [
        request.get_absolute_url(),
        reverse("committee:training_list"),
        reverse("committee:training_library"),
    ]
    client.force_login(organizer.user)
    for url in chapter_pages:
        assert client.get(url).status_code == 200, url
    client.force_login(chair.user)
    assert client.get(reverse("committee:nominate", kwargs={"chapter": chair.chapter.slug})).status_code == 200
    dashboard = client.get(reverse("chapters:dashboard", kwargs={"chapter": chair.chapter.slug})).content.decode()
    assert "Ask the NEC for help" in dashboard

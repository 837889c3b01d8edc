"""Trainings: members of any chapter sign up until it is full; hosts record attendance and upload materials."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import TrainingMaterial, TrainingSignup
from core.errors import ApplicationError
from tests.factories import MembershipFactory


@pytest.fixture
def training(field, cochair):
    return services.training_create(
        title="Turf cutting 101",
        starts_at=timezone.now() + timedelta(days=3),
        format="online",
        capacity=2,
        host_subcommittee=field,
        actor=cochair,
    )


def test_members_of_any_chapter_sign_up_until_the_training_is_full(client, training, member, outsider):
    for membership in (member, outsider):
        client.force_login(membership.user)
        client.post(
            reverse("committee:training_signup", kwargs={"pk": training.pk}), {"chapter": membership.chapter.slug}
        )
    late = MembershipFactory.create()
    client.force_login(late.user)
    response = client.post(reverse("committee:training_signup", kwargs={"pk": training.pk}), follow=True)
    assert "This training is full." in response.content.decode()
    assert set(TrainingSignup.objects.values_list("chapter__slug", flat=True)) == {"alpha", "beta"}


def test_signing_up_twice_takes_one_place(training, member):
    services.training_signup(training=training, user=member.user, chapter=member.chapter)
    services.training_signup(training=training, user=member.user, chapter=member.chapter)
    assert training.signups.count() == 1


def test_a_past_training_takes_no_signups(training, member):
    training.starts_at = timezone.now() - timedelta(days=1)
    training.save()
    with pytest.raises(ApplicationError, match="already happened"):
        services.training_signup(training=training, user=member.user, chapter=member.chapter)


def test_a_training_has_exactly_one_host(field, chapter, cochair):
    with pytest.raises(ApplicationError, match="one host"):
        services.training_create(
            title="Both", starts_at=timezone.now(), format="online", capacity=5, host_subcommittee=field,
            host_chapter=chapter, actor=cochair,
        )  # fmt: skip


def test_hosts_record_attendance_and_others_cannot(client, training, member, outsider, cochair):
    signup = services.training_signup(training=training, user=member.user, chapter=member.chapter)
    services.training_signup(training=training, user=outsider.user, chapter=outsider.chapter)
    url = reverse("committee:training_attendance", kwargs={"pk": training.pk})
    client.force_login(member.user)
    assert client.post(url, {"attended": [signup.pk]}).status_code == 404
    client.force_login(cochair)
    client.post(url, {"attended": [signup.pk]})
    assert dict(TrainingSignup.objects.values_list("user_id", "attended")) == {
        member.user_id: True,
        outsider.user_id: False,
    }


def test_a_chapter_hosts_a_skill_share_open_to_other_chapters(client, organizer, outsider):
    client.force_login(organizer.user)
    starts = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("committee:chapter_training_create", kwargs={"chapter": organizer.chapter.slug}),
        {"title": "Alpha's phonebank skill-share", "starts_at": starts, "format": "in_person", "capacity": 12},
    )
    assert response.status_code == 302
    client.force_login(outsider.user)
    assert "Alpha&#x27;s phonebank skill-share" in client.get(reverse("committee:training_list")).content.decode()


def test_materials_are_checked_and_form_the_library(client, training, cochair, member):
    url = reverse("committee:material_upload", kwargs={"pk": training.pk})
    client.force_login(cochair)
    client.post(url, {"title": "Script", "file": SimpleUploadedFile("script.exe", b"MZ")})
    assert not TrainingMaterial.objects.exists()
    client.post(url, {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides")})
    material = TrainingMaterial.objects.get()
    training.starts_at = timezone.now() - timedelta(hours=1)
    training.save()
    client.force_login(member.user)
    assert "Slides" in client.get(reverse("committee:training_library")).content.decode()
    download = client.get(reverse("committee:material_download", kwargs={"pk": material.pk}))
    assert download.content == b"%PDF-1.4 slides"


def test_training_list_has_a_constant_query_count(client, field, cochair, member, django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            services.training_create(
                title=f"T{i}", starts_at=timezone.now() + timedelta(days=1 + i), format="online", capacity=5,
                host_subcommittee=field, actor=cochair,
            )  # fmt: skip

    client.force_login(member.user)
    add(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("committee:training_list"))
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("committee:training_list"))

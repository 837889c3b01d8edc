"""Demo chapters: Durham and Asheville, one login per role, and national roles."""

from __future__ import annotations

from chapters.models import Chapter, Membership, NationalRole, Region, Role
from core.demo import DemoWorld


def seed(world: DemoWorld) -> None:
    """Create the demo chapters, their members and the national roles."""
    durham, _ = Chapter.objects.update_or_create(
        slug="durham",
        defaults={"name": "Durham Socialists", "state": "NC", "region": Region.SOUTHEAST,
                  "contact_email": "electoral@durham.example"},
    )  # fmt: skip
    asheville, _ = Chapter.objects.update_or_create(
        slug="asheville",
        defaults={"name": "Asheville Socialists", "state": "NC", "region": Region.SOUTHEAST,
                  "contact_email": "electoral@asheville.example"},
    )  # fmt: skip
    world.objects.update(durham=durham, asheville=asheville)

    for role in Role:
        user = world.user(f"{role.value}@durham.example", f"Durham {role.label}", f"Durham: {role.label.lower()}")
        Membership.objects.update_or_create(user=user, chapter=durham, defaults={"role": role})
        world.objects[f"durham_{role.value}"] = user
    chair = world.user("chair@asheville.example", "Asheville Chair", "Asheville: chair")
    Membership.objects.update_or_create(user=chair, chapter=asheville, defaults={"role": Role.CHAIR})
    world.objects["asheville_chair"] = chair
    # The Durham captain also canvasses in Asheville: the chapter switcher shows both.
    Membership.objects.update_or_create(
        user=world.objects["durham_captain"], chapter=asheville, defaults={"role": Role.CANVASSER}
    )

    for kind, email, name in (
        (NationalRole.Kind.NEC_COCHAIR, "cochair1@nec.example", "Ana NEC Co-chair"),
        (NationalRole.Kind.NEC_COCHAIR, "cochair2@nec.example", "Ben NEC Co-chair"),
        (NationalRole.Kind.NEC_MEMBER, "nec@nec.example", "Cam NEC Member"),
        (NationalRole.Kind.NPC_MEMBER, "npc@npc.example", "Dee NPC Member"),
    ):
        user = world.user(email, name, f"national: {kind.label}")
        NationalRole.objects.get_or_create(user=user, kind=kind)
        world.objects[email] = user
    world.user("admin@blockwork.example", "Site Admin", "staff: Django admin", staff=True)

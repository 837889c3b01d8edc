"""Demo people for Durham: households across six precincts, tags, the ladder, contact history and lists."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from chapters.models import Chapter
from committee.models import StatewideTable
from core.demo import DemoWorld
from data_vault.importers import normalize
from data_vault.models import Email, Household, Person, Phone, SavedList, SharingAgreement
from data_vault.services import (
    contact_event_record,
    person_do_not_contact_set,
    person_keys_refresh,
    person_tag_add,
    sharing_agreement_create,
)

PRECINCTS = ("05", "12", "19", "27", "33", "41")
STREETS = ("ALSTON AVE", "HOLLOWAY ST", "GREGSON ST", "MANGUM ST", "DUKE ST", "ROXBORO ST", "CHAPEL HILL RD")
FIRST = (
    "Ana",
    "Ben",
    "Carmen",
    "Darnell",
    "Eun-ji",
    "Fatima",
    "Gabe",
    "Hana",
    "Imani",
    "Jose",
    "Keisha",
    "Luis",
    "Maya",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vic",
    "Wen",
    "Yusuf",
    "Zoe",
)
LAST = (
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Freeman",
    "Garcia",
    "Harris",
    "Ibrahim",
    "Jackson",
    "Kim",
    "Lopez",
    "McNeil",
    "Nguyen",
    "Okafor",
    "Patel",
    "Reyes",
    "Smith",
    "Thompson",
    "Walker",
)
PARTIES = ("DEM", "DEM", "DEM", "UNA", "UNA", "REP", "GRE", "LIB")
LADDER = ("unknown", "voter", "voter", "voter", "supporter", "supporter", "volunteer", "member", "leader")
TAGS = ("tenant union", "spanish", "yard sign", "rides to polls")
HOUSEHOLDS = 130
DEMO_NAMESPACE = uuid.UUID("5b7c1d4e-0a7f-4b8e-9d43-2f7a9c0e1b6d")


def _household(chapter: Chapter, rng: random.Random, n: int) -> Household:
    number = 100 + 2 * n + (n % 2)
    street = STREETS[n % len(STREETS)]
    unit = f"{1 + n % 4}B" if n % 9 == 0 else ""
    key = normalize.address_key(
        house_number=number, house_number_suffix="", street_name=street, unit=unit, city="DURHAM", zip5="27701"
    )
    household, _ = Household.objects.update_or_create(
        chapter=chapter,
        address_key=key,
        defaults={
            "house_number": number,
            "street_name": street,
            "unit": unit,
            "city": "DURHAM",
            "state": "NC",
            "zip5": "27701" if n % 3 else "27707",
            "street_side": normalize.street_side(number),
            "precinct": PRECINCTS[n % len(PRECINCTS)],
            "latitude": 35.99 + rng.uniform(-0.02, 0.02),
            "longitude": -78.90 + rng.uniform(-0.02, 0.02),
        },
    )
    return household


def seed(world: DemoWorld) -> None:
    """Create Durham's demo people (about 300), their history and two saved lists; safe to run again."""
    durham = world.objects["durham"]
    organizer = world.objects["durham_organizer"]
    rng = random.Random(2026)
    now = timezone.now()
    index = 0
    for n in range(HOUSEHOLDS):
        household = _household(durham, rng, n)
        family = rng.choice(LAST)
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))):
            index += 1
            first = FIRST[(index * 7) % len(FIRST)]
            last = family if rng.random() < 0.8 else rng.choice(LAST)
            person, _ = Person.objects.update_or_create(
                chapter=durham,
                state_voter_id=f"DEMO{index:05d}",
                defaults={
                    "household": household,
                    "first_name": first,
                    "last_name": last,
                    "birth_year": rng.randint(1945, 2006),
                    "gender": rng.choice(("female", "male", "other", "")),
                    "party": rng.choice(PARTIES),
                    "registration_status": "active" if rng.random() < 0.9 else "inactive",
                    "county": "DURHAM",
                    "precinct": household.precinct,
                    "congressional_district": "4",
                    "state_senate_district": "20",
                    "state_house_district": "29" if household.precinct < "20" else "31",
                    "municipality": "DURHAM",
                    "ward": f"{1 + n % 3}",
                    "ladder": rng.choice(LADDER),
                    "support_score": rng.choice((None, None, 1, 2, 3, 4, 5)),
                },
            )
            person_keys_refresh(person)
            person.save(update_fields=["name_key", "search_text"])
            if index % 3 == 0:
                Phone.objects.get_or_create(
                    person=person,
                    number=f"919555{index:04d}",
                    defaults={"kind": Phone.Kind.CELL if index % 2 else Phone.Kind.LANDLINE},
                )
            if index % 5 == 0:
                Email.objects.get_or_create(person=person, address=f"{first}.{last}{index}@example.org".lower())
            if index % 4 == 0:
                person_tag_add(person=person, tag_name=TAGS[index % len(TAGS)], actor=organizer)
            if index % 29 == 0:
                person_do_not_contact_set(person=person, channel="phone", reason="Asked not to be called", actor=None)
            for visit in range(index % 4):
                contact_event_record(
                    chapter=durham,
                    recorded_by=organizer,
                    person=person,
                    channel=("door", "phone", "door")[visit],
                    result=rng.choice(("contact", "contact", "not_home", "left_message", "refused")),
                    answers={"rent": rng.choice(("yes", "no", "unsure"))} if visit == 0 else None,
                    notes="Interested in the tenants' meeting" if index % 11 == 0 and visit == 0 else "",
                    occurred_at=now - timedelta(days=60 - 20 * visit, hours=index % 9),
                    client_uuid=uuid.uuid5(DEMO_NAMESPACE, f"{index}:{visit}"),
                )
    tenants, _ = SavedList.objects.update_or_create(
        chapter=durham,
        name="Tenant union supporters",
        defaults={"filters": {"tags": ["tenant union"], "support_min": 4}, "created_by": organizer},
    )
    SavedList.objects.update_or_create(
        chapter=durham,
        name="Precinct 12 and 19, not yet reached",
        defaults={"filters": {"precinct": ["12", "19"], "contact": "not_reached"}, "created_by": organizer},
    )
    asheville = world.objects["asheville"]
    # Durham and Asheville sit at North Carolina's statewide table, so Durham can share a list.
    table, _ = StatewideTable.objects.get_or_create(state="NC", defaults={"name": "North Carolina statewide table"})
    table.chapters.add(durham, asheville)
    if not SharingAgreement.objects.filter(saved_list=tenants, partner=asheville, revoked_at__isnull=True).exists():
        sharing_agreement_create(
            saved_list=tenants, partner=asheville, actor=world.objects["durham_chair"], purpose="NC statewide table"
        )

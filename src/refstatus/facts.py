"""The case file: what a caseworker records about one person.

Every fact is optional and ``None`` means *unknown*, never *false*: the
evaluator treats an unknown fact as undetermined and reports it as a fact that
could still decide the case.  A list that is present is taken as complete
(``motives_for_leaving: [food_or_work]`` means no other motive is known to
exist); a list that is absent is unknown.

Fields that identify a real person carry ``x-identifying: true`` in the JSON
Schema (``identifying()`` below); public outputs never show them.
"""

from __future__ import annotations

import datetime as _dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "Actor",
    "Case",
    "Cessation",
    "ConcealmentFacts",
    "Departure",
    "Entry",
    "Exclusion",
    "FearedHarm",
    "Ground",
    "GroundLink",
    "HarmKind",
    "InternalRelocation",
    "Likelihood",
    "Motive",
    "NationalityStatus",
    "OtherNationality",
    "PastHarm",
    "Person",
    "Profile",
    "Protection",
    "Sex",
    "identifying_paths",
]

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


def _identifying(description: str) -> Any:
    """A field that identifies a real person: never shown in public outputs."""
    return Field(default=None, description=description, json_schema_extra={"x-identifying": True})


def _fact(description: str) -> Any:
    return Field(default=None, description=description)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Ground(StrEnum):
    """The five Convention grounds of Art. 1A(2)."""

    race = "race"
    religion = "religion"
    nationality = "nationality"
    particular_social_group = "particular_social_group"
    political_opinion = "political_opinion"


class Sex(StrEnum):
    female = "female"
    male = "male"
    other = "other"


class Motive(StrEnum):
    """Why the person left; several may apply at once."""

    food_or_work = "food_or_work"
    fear_of_harm = "fear_of_harm"
    family = "family"
    trafficked = "trafficked"
    religious_practice = "religious_practice"
    political = "political"
    education = "education"
    other = "other"


class HarmKind(StrEnum):
    death = "death"
    torture = "torture"
    physical_violence = "physical_violence"
    sexual_violence = "sexual_violence"
    forced_abortion = "forced_abortion"
    arbitrary_detention = "arbitrary_detention"
    prison_camp = "prison_camp"
    forced_labour = "forced_labour"
    prosecution_and_punishment = "prosecution_and_punishment"
    economic_deprivation = "economic_deprivation"
    discrimination = "discrimination"
    harassment = "harassment"
    other = "other"


class Actor(StrEnum):
    """Who would inflict the harm."""

    state = "state"
    non_state = "non_state"


class Likelihood(StrEnum):
    """How likely the harm is on return, on the evidence.

    ``real_chance`` is the refugee-law standard (a reasonable possibility, which
    may be well under 50%); ``substantial`` means substantial grounds for
    believing the person would be in danger (the CAT Art. 3 wording); ``remote``
    means no more than a remote or fanciful chance.
    """

    remote = "remote"
    real_chance = "real_chance"
    substantial = "substantial"


class NationalityStatus(StrEnum):
    """How another nationality is held (the distinctions of *KK (North Korea)*)."""

    held = "held"
    entitled_to_acquire = "entitled_to_acquire"
    might_acquire = "might_acquire"


class GroundLink(_Model):
    """A Convention ground that drives (at least contributes to) a harm."""

    ground: Ground
    imputed: bool | None = _fact("True when the persecutor attributes the ground to the person.")


class Person(_Model):
    pseudonym: str = Field(description="The name used in every output; never a real name.")
    full_name: str | None = _identifying("The person's real name.")
    other_names: list[str] | None = _identifying("Aliases or names used in the host state.")
    date_of_birth: _dt.date | None = _identifying("Date of birth.")
    place_of_birth: str | None = _identifying("Town or village of birth.")
    home_address: str | None = _identifying("Last address in the country of origin.")
    address_in_host_state: str | None = _identifying("Where the person is staying now.")
    contact_details: str | None = _identifying("Telephone, messaging or other contact details.")
    age: int | None = Field(default=None, ge=0, le=130, description="Age in years at the assessment date.")
    minor: bool | None = _fact("Under 18 at the assessment date.")
    sex: Sex | None = _fact("Sex.")


class Departure(_Model):
    date: _dt.date | None = _fact("When the person left the country of origin.")
    with_permission: bool | None = _fact("Whether the state of origin authorised the departure.")
    times_left_before: int | None = Field(default=None, ge=0, description="Earlier unauthorised departures.")


class Entry(_Model):
    """Entry into the host state (Art. 31(1))."""

    without_authorisation: bool | None = _fact("Entered or is present in the host state without authorisation.")
    came_directly: bool | None = _fact("Came directly from a territory where life or freedom was threatened.")
    presented_without_delay: bool | None = _fact("Presented themselves to the authorities without delay.")
    good_cause: bool | None = _fact("Can show good cause for the illegal entry or presence.")


class FearedHarm(_Model):
    """One harm the person fears on return."""

    kind: HarmKind | None = _fact("What the harm is.")
    country: CountryCode | None = _fact("Where it would happen; defaults to the country of nationality.")
    actor: Actor | None = _fact("Who would inflict it.")
    official_acquiescence: bool | None = _fact(
        "For harm by others: a public official would instigate, consent to or acquiesce in it."
    )
    likelihood: Likelihood | None = _fact("How likely it is on the evidence.")
    grounds: list[GroundLink] | None = _fact("Convention grounds that drive it, actual or imputed.")
    serious: bool | None = _fact("Serious enough in itself to be persecution (threat to life or freedom, or a serious violation of rights).")
    law_of_general_application: bool | None = _fact("The harm is punishment under a law that applies to everyone.")
    discriminatory_or_disproportionate: bool | None = _fact(
        "The law or its punishment is discriminatory, excessive, or itself contrary to human-rights standards."
    )
    depends_on_openness: bool | None = _fact(
        "The harm would follow only if the person lived openly (expressed the belief, identity or activity)."
    )
    arises_after_departure: bool | None = _fact(
        "The risk arises from the departure itself or from events or conduct after it (sur place)."
    )
    evidence: str | None = _identifying("The evidence for this harm, as recorded (may name people or places).")


class PastHarm(_Model):
    kind: HarmKind | None = _fact("What happened.")
    actor: Actor | None = _fact("Who inflicted it.")
    grounds: list[GroundLink] | None = _fact("Convention grounds behind it, actual or imputed.")
    date: _dt.date | None = _identifying("When it happened.")
    description: str | None = _identifying("What happened, in the caseworker's words.")


class Profile(_Model):
    """Facts about the person that the law and country information turn on."""

    religious_practice: bool | None = _fact("Practises or has practised a religion (e.g. attended church).")
    contact_with_south_koreans: bool | None = _fact("Had contact with South Koreans abroad.")
    contact_with_missionaries_or_christians: bool | None = _fact("Had contact with missionaries or Christians abroad.")
    contact_with_foreigners: bool | None = _fact("Had contact with other foreigners or foreign organisations abroad.")
    intended_to_reach_south_korea: bool | None = _fact("Tried or intended to reach South Korea.")
    relatives_defected: bool | None = _fact("Close relatives have defected.")
    previous_forced_return: bool | None = _fact("Was forcibly returned before.")
    pregnant: bool | None = _fact("Is pregnant, or would be presumed pregnant on return.")
    child_of_foreign_father: bool | None = _fact("Is a child whose father is a foreign (e.g. Chinese) national.")
    born_abroad: bool | None = _fact("Was born outside the country of nationality.")
    trafficked: bool | None = _fact("Was trafficked (sold, forced into marriage or sex work).")
    military_or_security_service: bool | None = _fact("Served in the military or security forces.")
    hostile_songbun: bool | None = _fact("Classed by the state in a 'wavering' or 'hostile' social class (songbun).")
    political_activity: bool | None = _fact("Took part in political activity, at home or abroad.")
    publicised_case: bool | None = _fact("The person's case became publicly known abroad (media, campaigns).")
    sexual_minority: bool | None = _fact("Is lesbian, gay, bisexual, transgender or intersex.")
    ethnic_or_religious_minority: bool | None = _fact("Belongs to an ethnic or religious minority at home.")


class ConcealmentFacts(_Model):
    """*HJ (Iran)* and *RT (Zimbabwe)*: hiding out of fear does not remove the risk."""

    would_conceal_on_return: bool | None = _fact("Would hide a belief, identity or activity (or feign loyalty) on return.")
    concealment_out_of_fear: bool | None = _fact("The hiding would be driven by fear of persecution.")


class Protection(_Model):
    """The state of nationality (or former habitual residence)."""

    state_able_to_protect: bool | None = _fact("The state is able to protect the person against the feared harm.")
    state_willing_to_protect: bool | None = _fact("The state is willing to protect the person against the feared harm.")
    withheld_for_grounds: list[GroundLink] | None = _fact(
        "Convention grounds for which the state withholds protection from the person (nexus through"
        " non-protection); an empty list means none."
    )


class OtherNationality(_Model):
    """A nationality besides the one feared (Art. 1A(2), second paragraph)."""

    country: CountryCode
    status: NationalityStatus | None = _fact("Held, entitled to acquire, or merely might acquire.")
    protection_available: bool | None = _fact("That state would in practice admit and protect the person.")
    fear_there: bool | None = _fact("Well-founded fear of persecution in that country as well.")


class InternalRelocation(_Model):
    area_exists: bool | None = _fact("A part of the country where the feared harm would not arise and which the person can safely reach.")
    reasonable: bool | None = _fact("Relocating there would be reasonable (not unduly harsh) for this person.")


class Exclusion(_Model):
    """Facts for Art. 1D, 1E and 1F."""

    un_agency_assistance: bool | None = _fact("Now receives protection or assistance from a UN organ or agency other than UNHCR (Art. 1D).")
    un_assistance_ceased_unsettled: bool | None = _fact("That assistance ceased without the person's position being definitively settled.")
    residence_state_recognises_national_rights: bool | None = _fact(
        "The country of residence recognises the rights and obligations of its nationality for the person (Art. 1E)."
    )
    serious_reasons_crime_against_peace_war_crime_or_cah: bool | None = _fact(
        "Serious reasons for considering the person committed a crime against peace, a war crime or a crime against humanity (Art. 1F(a))."
    )
    serious_reasons_serious_crime: bool | None = _fact(
        "Serious reasons for considering the person committed a serious crime (Art. 1F(b))."
    )
    crime_non_political: bool | None = _fact("That crime was non-political.")
    crime_outside_refuge_before_admission: bool | None = _fact(
        "That crime was committed outside the country of refuge before admission as a refugee."
    )
    serious_reasons_acts_contrary_un: bool | None = _fact(
        "Serious reasons for considering the person guilty of acts contrary to the purposes and principles of the UN (Art. 1F(c))."
    )
    danger_to_security_of_host_state: bool | None = _fact("Reasonable grounds to regard the person as a danger to the host state's security (Art. 33(2)).")
    convicted_particularly_serious_crime_danger: bool | None = _fact(
        "Finally convicted of a particularly serious crime and a danger to the host community (Art. 33(2))."
    )


class Cessation(_Model):
    """Facts for Art. 1C(1)-(6)."""

    voluntarily_reavailed_protection: bool | None = _fact("Voluntarily re-availed of the protection of the country of nationality (1C(1)).")
    voluntarily_reacquired_nationality: bool | None = _fact("Having lost the nationality, voluntarily re-acquired it (1C(2)).")
    new_nationality_with_protection: bool | None = _fact("Acquired a new nationality and enjoys its protection (1C(3)).")
    voluntarily_reestablished: bool | None = _fact("Voluntarily re-established in the country left (1C(4)).")
    circumstances_ceased: bool | None = _fact("The circumstances of recognition have ceased to exist (1C(5)/(6)).")
    compelling_reasons_past_persecution: bool | None = _fact("Compelling reasons arising out of previous persecution for refusing to return.")


class Case(_Model):
    """A case file.  Only ``person.pseudonym`` is required; everything else may be unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="refstatus case file")

    case_ref: str | None = _fact("The organisation's own reference for the case (not a name).")
    assessment_date: _dt.date | None = _fact("The date at which the case is assessed.")
    host_state: CountryCode | None = _fact("Where the person is, or the state deciding (ISO 3166 alpha-2).")
    person: Person
    nationalities: list[CountryCode] | None = _fact("ISO 3166 alpha-2 codes; an empty list means stateless.")
    former_habitual_residence: CountryCode | None = _fact("For a stateless person: the country of former habitual residence.")
    current_country: CountryCode | None = _fact("Where the person is now.")
    departure: Departure | None = None
    entry: Entry | None = None
    motives_for_leaving: list[Motive] | None = _fact("Why the person left; several may apply.")
    fears_return: bool | None = _fact("The person fears returning (the subjective element of fear).")
    past_harm: list[PastHarm] | None = _fact("Harm suffered before leaving.")
    feared_harms: list[FearedHarm] | None = _fact("Harms the person fears on return, as recorded for this case.")
    cumulative_measures_serious: bool | None = _fact(
        "Measures not serious alone would, taken together, make life intolerable (Handbook para. 53)."
    )
    profile: Profile | None = None
    concealment: ConcealmentFacts | None = None
    protection: Protection | None = None
    other_nationalities: list[OtherNationality] | None = _fact("Nationalities besides those feared (Art. 1A(2) second paragraph).")
    internal_relocation: InternalRelocation | None = None
    exclusion: Exclusion | None = None
    cessation: Cessation | None = None
    recognised_as_refugee: bool | None = _fact("Has already been recognised as a refugee (relevant to cessation).")
    notes: str | None = _identifying("Caseworker's free-text notes.")


def identifying_paths(model: type[BaseModel] = Case, prefix: str = "") -> frozenset[str]:
    """Dotted paths of every field marked identifying, e.g. ``person.full_name``."""
    found: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        extra = field.json_schema_extra
        if isinstance(extra, dict) and extra.get("x-identifying"):
            found.add(path)
        for sub in _submodels(field.annotation):
            found |= identifying_paths(sub, path + ".")
    return frozenset(found)


def _submodels(annotation: Any) -> list[type[BaseModel]]:
    """Pydantic models reachable in an annotation (through Optional and list)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_submodels(arg))
    return out

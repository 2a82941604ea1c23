import datetime as dt

import refstatus
from refstatus import Status

from conftest import make_case

HARM = {"kind": "torture", "actor": "state", "likelihood": "real_chance"}


def ev(mini: refstatus.Definitions, **fields: object) -> refstatus.Determination:
    return refstatus.evaluate(make_case(**fields), mini)


def test_unknown_fact_is_undetermined_and_listed(mini: refstatus.Definitions) -> None:
    r = ev(mini).results["fears"]
    assert r.status is Status.undetermined
    assert r.missing_facts == ("fears_return",)
    assert "fear" in r.reason and "unknown" in r.reason


def test_kleene_and_or(mini: refstatus.Definitions) -> None:
    # AND: one false child decides it, whatever is unknown.
    r = ev(mini, fears_return=False).results["protected"]
    assert r.status is Status.not_met and r.missing_facts == ()
    # OR: one true child decides it.
    assert ev(mini, fears_return=True).results["either"].status is Status.met
    # OR with one false and one unknown stays open, naming only the unknown fact.
    r = ev(mini, fears_return=False).results["either"]
    assert r.status is Status.undetermined and r.missing_facts == ("person.minor",)


def test_missing_facts_are_only_those_that_can_change_it(mini: refstatus.Definitions) -> None:
    r = ev(mini, feared_harms=[HARM]).results["protected"]
    # risk is met; fears and the exception are open.
    assert r.status is Status.undetermined
    assert r.missing_facts == ("fears_return", "internal_relocation.area_exists")
    r = ev(mini, feared_harms=[HARM], fears_return=True, internal_relocation={"area_exists": False}).results["protected"]
    assert r.status is Status.met and r.missing_facts == ()


def test_exception_defeats_and_is_named(mini: refstatus.Definitions) -> None:
    r = ev(mini, feared_harms=[HARM], fears_return=True, internal_relocation={"area_exists": True}).results["protected"]
    assert r.status is Status.not_met
    assert "relocation is possible" in r.reason
    assert r.exceptions == (("Relocation", Status.met),)


def test_reason_is_built_from_the_facts(mini: refstatus.Definitions) -> None:
    a = ev(mini, fears_return=True).results["fears"].reason
    b = ev(mini, fears_return=False).results["fears"].reason
    assert a != b and "yes" in a and "no" in b
    assert ev(mini, fears_return=True).results["fears"].facts == (("fears_return", True),)


def test_some_over_recorded_harms(mini: refstatus.Definitions) -> None:
    known = {"nationalities": ["VN"]}  # a country with no documented practices
    assert ev(mini, feared_harms=[], **known).results["risk"].status is Status.not_met
    assert ev(mini, feared_harms=[HARM]).results["risk"].status is Status.met
    r = ev(mini, feared_harms=[{"kind": "torture", "actor": "state"}], **known).results["risk"]
    assert r.status is Status.undetermined and r.missing_facts == ("feared_harms[0].likelihood",)
    r = ev(mini, **known).results["risk"]
    assert r.status is Status.undetermined and r.missing_facts == ("feared_harms",)


def test_unknown_country_of_return_keeps_harms_open(mini: refstatus.Definitions) -> None:
    """Documented practice could still join once the nationality is known (monotonicity)."""
    r = ev(mini, feared_harms=[]).results["risk"]
    assert r.status is Status.undetermined and r.missing_facts == ("nationalities",)
    r = ev(mini, feared_harms=[], nationalities=[]).results["risk"]
    assert r.missing_facts == ("former_habitual_residence",)
    stateless = ev(mini, feared_harms=[], nationalities=[], former_habitual_residence="FD", departure={"with_permission": False})
    assert stateless.results["risk"].status is Status.met


def test_documented_practice_joins_the_profile(mini: refstatus.Definitions) -> None:
    base = {"nationalities": ["FD"], "feared_harms": [], "assessment_date": dt.date(2012, 1, 1)}
    r = ev(mini, departure={"with_permission": False}, **base).results["risk"]
    assert r.status is Status.met
    (evidence,) = r.evidence
    assert evidence.id == "fd_returnee_detention" and evidence.stale is False
    assert "Test Report, para. 12" in r.reason
    assert ev(mini, departure={"with_permission": True}, **base).results["risk"].status is Status.not_met
    r = ev(mini, **base).results["risk"]
    assert r.status is Status.undetermined and r.missing_facts == ("departure.with_permission",)


def test_stale_country_information_is_flagged(mini: refstatus.Definitions) -> None:
    case = make_case(nationalities=["FD"], feared_harms=[], departure={"with_permission": False}, assessment_date=dt.date(2026, 1, 1))
    assert refstatus.evaluate(case, mini).results["risk"].evidence[0].stale is True
    assert "possibly stale" in refstatus.evaluate(case, mini).results["risk"].reason
    assert refstatus.evaluate(case, mini, stale_after_years=20).results["risk"].evidence[0].stale is False


def test_evidence_dated_after_the_assessment_is_flagged(mini: refstatus.Definitions) -> None:
    case = make_case(nationalities=["FD"], feared_harms=[], departure={"with_permission": False}, assessment_date=dt.date(2009, 6, 1))
    r = refstatus.evaluate(case, mini).results["risk"]
    assert r.evidence[0].after_assessment is True and "dated after the assessment date" in r.reason


def test_host_state_bound(mini: refstatus.Definitions) -> None:
    r = ev(mini, host_state="HS", assessment_date=dt.date(2012, 1, 1)).results["bound"]
    assert r.status is Status.met and "2000-02-01" in r.reason
    assert ev(mini, host_state="HS", assessment_date=dt.date(2000, 1, 15)).results["bound"].status is Status.not_met
    r = ev(mini, host_state="HS").results["bound"]
    assert r.status is Status.undetermined and r.missing_facts == ("assessment_date",)
    assert ev(mini).results["bound"].missing_facts == ("host_state",)
    r = ev(mini, host_state="ZZ", assessment_date=dt.date(2012, 1, 1)).results["bound"]
    assert r.status is Status.undetermined and "no treaty-status data for ZZ" in r.reason


def test_fact_against_fact(mini: refstatus.Definitions) -> None:
    assert ev(mini, nationalities=["FD"], current_country="HS").results["outside"].status is Status.met
    assert ev(mini, nationalities=["FD"], current_country="FD").results["outside"].status is Status.not_met
    assert ev(mini, current_country="FD").results["outside"].missing_facts == ("nationalities",)


def test_json_shape(mini: refstatus.Definitions) -> None:
    data = ev(mini, fears_return=True).to_dict()
    r = data["results"]["fears"]
    assert set(r) >= {"status", "reason", "sources", "facts", "missing_facts", "children", "title"}
    assert r["sources"][0]["text"] == "Test Treaty, Art. 1(1)"
    assert r["sources"][0]["authority"] == "binding"
    assert data["case"]["pseudonym"] == "P"


def test_unknown_list_inside_a_record_is_named_by_its_full_path() -> None:
    defs = refstatus.load_definitions()
    case = make_case(nationalities=["VN"], fears_return=True, feared_harms=[{"kind": "torture", "actor": "state", "likelihood": "substantial"}])
    r = refstatus.evaluate(case, defs).results["convention_ground"]
    assert r.status is Status.undetermined
    assert "feared_harms[0].grounds" in r.missing_facts
    assert "grounds" not in r.missing_facts


def test_framing_claim_scope(mini: refstatus.Definitions) -> None:
    """A claim about one group fails for others, says why, and stays open while it could apply."""
    other = ev(mini, nationalities=["VN"], feared_harms=[]).framings["no_risk"]
    assert other.status == "fails" and "the claim is about Freedonians" in other.reason
    member = ev(mini, nationalities=["FD"], feared_harms=[], departure={"with_permission": True}).framings["no_risk"]
    assert member.status == "holds"
    at_risk = ev(mini, nationalities=["FD"], feared_harms=[HARM]).framings["no_risk"]
    assert at_risk.status == "fails"
    unknown = ev(mini, feared_harms=[]).framings["no_risk"]
    assert unknown.status == "undetermined" and "nationalities" in unknown.missing_facts

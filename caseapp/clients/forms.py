"""Client forms: they check shape (types, lengths, offered choices); the rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, Optional

from caseapp.clients.labels import (
    CATEGORY_LABELS,
    CLOSE_REASON_LABELS,
    DATA_CATEGORY_LABELS,
    PURPOSE_LABELS,
    SEX_LABELS,
)
from caseapp.clients.models import CloseReason, ConsentPurpose, DataCategory, ServiceCategory, Sex
from caseapp.clients.needs import NeedDetails
from caseapp.clients.rules import MAX_LENGTHS
from caseapp.clients.services import ClientDetails, ConsentTerms
from caseapp.core.forms import (
    BAD_CHOICE,
    BAD_DATE,
    BAD_NUMBER,
    DATE_FORMATS,
    REQUIRED,
    TOO_LONG,
    BaseForm,
    IntegerField,
    choices,
)
from caseapp.users.models import User
from caseapp.wards.models import Ward

YES_NO = {"yes": True, "no": False}


def yes_no_value(value: bool | None) -> str:
    """The radio value for a yes/no/unknown answer."""
    return "" if value is None else "yes" if value else "no"


def optional_int(value: object) -> int | None:
    """A select's value as int; the empty placeholder is None, anything else not a number is refused."""
    if value is None or value == "":
        return None
    return int(str(value))


def _text(label: Any, field: str, *, required: bool = False, area: bool = False) -> Any:
    first = InputRequired(message=REQUIRED) if required else Optional()
    validators = [first, Length(max=MAX_LENGTHS[field], message=TOO_LONG)]
    return (TextAreaField if area else StringField)(label, validators=validators)


def _date(label: Any, *, required: bool = False) -> DateField:
    first = InputRequired(message=REQUIRED) if required else Optional()
    return DateField(label, format=DATE_FORMATS, validators=[first], invalid_value_message=BAD_DATE)


def _yes_no(label: Any, unknown: Any) -> RadioField:
    pairs = [("", unknown), ("yes", _l("Yes")), ("no", _l("No"))]
    return RadioField(label, choices=choices(pairs), default="", invalid_choice_message=BAD_CHOICE)


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (easier to tap than a multi-select on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ClientDetailsForm(BaseForm):
    """What is recorded about a client; only alias and birth year are required."""

    alias = _text(_l("Alias (the name the person uses with you)"), "alias", required=True)
    birth_year = IntegerField(
        _l("Birth year"), validators=[InputRequired(message=REQUIRED)], invalid_value_message=BAD_NUMBER
    )
    sex = RadioField(
        _l("Sex / gender"),
        choices=choices((s.value, SEX_LABELS[s]) for s in Sex),
        default=Sex.UNKNOWN.value,
        invalid_choice_message=BAD_CHOICE,
    )
    migrant = _yes_no(_l("From another province (ngoại tỉnh)"), _l("Not known"))
    full_name = _text(_l("Full name"), "full_name")
    phone = _text(_l("Phone"), "phone")
    id_number = _text(_l("ID number (CCCD, 12 digits)"), "id_number")
    date_of_birth = _date(_l("Date of birth"))
    address = _text(_l("Address"), "address")
    notes = _text(_l("Notes"), "notes", area=True)

    def details(self) -> ClientDetails:
        """The submitted values, for the service (which trims, checks and canonicalises them)."""
        return ClientDetails(
            alias=self.alias.data or "",
            birth_year=int(self.birth_year.data or 0),
            sex=self.sex.data or Sex.UNKNOWN.value,
            migrant=YES_NO.get(self.migrant.data or ""),
            full_name=self.full_name.data,
            phone=self.phone.data,
            id_number=self.id_number.data,
            date_of_birth=self.date_of_birth.data,
            address=self.address.data,
            notes=self.notes.data,
        )


class RegisterForm(ClientDetailsForm):
    """Registration: consent first (nothing pre-ticked), then the little that is needed."""

    consent_given = BooleanField(_l("The person agrees that their personal data is recorded"))
    purposes = MultiCheckboxField(
        _l("Purposes agreed to"),
        choices=choices((p.value, PURPOSE_LABELS[p]) for p in ConsentPurpose),
        invalid_choice_message=BAD_CHOICE,
    )
    data_categories = MultiCheckboxField(
        _l("Data the person agrees to have recorded"),
        choices=choices((c.value, DATA_CATEGORY_LABELS[c]) for c in DataCategory),
        invalid_choice_message=BAD_CHOICE,
    )
    consent_date = _date(_l("Date of consent"), required=True)
    ward = SelectField(
        _l("Ward"),
        coerce=optional_int,
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
        invalid_value_message=BAD_CHOICE,
    )
    confirm_duplicate = BooleanField(_l("I checked: this is a different person, register anyway"))

    def set_wards(self, wards: Iterable[Ward]) -> None:
        """Offer the actor's programme wards; with several, the worker must pick one."""
        wards = list(wards)
        pairs: list[tuple[object, object]] = [(w.code, w.name) for w in wards]
        if len(wards) != 1:
            pairs.insert(0, ("", _l("Choose a ward")))
        self.ward.choices = choices(pairs)

    def consent_terms(self) -> ConsentTerms:
        return ConsentTerms(
            given=bool(self.consent_given.data),
            purposes=tuple(self.purposes.data or ()),
            data_categories=tuple(self.data_categories.data or ()),
            given_on=self.consent_date.data,
        )


class EditClientForm(ClientDetailsForm):
    """An edit carries the version it was opened at, so a concurrent save is detected."""

    version = IntegerField(
        widget=widgets.HiddenInput(),
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=BAD_NUMBER,
    )


class NeedForm(BaseForm):
    category = SelectField(
        _l("Service"),
        choices=choices(
            [("", _l("Choose a service")), *((c.value, CATEGORY_LABELS[c]) for c in ServiceCategory)]
        ),
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
    )
    identified_on = _date(_l("Need identified on"), required=True)
    eligible = _yes_no(_l("Eligible for support"), _l("Not decided yet"))
    decided_on = _date(_l("Eligibility decided on"))
    eligibility_basis = _text(_l("Basis of the decision (short)"), "eligibility_basis", area=True)
    met_on = _date(_l("Need met on"))

    def need(self) -> NeedDetails:
        return NeedDetails(
            category=self.category.data or "",
            identified_on=self.identified_on.data,
            eligible=YES_NO.get(self.eligible.data or ""),
            decided_on=self.decided_on.data,
            basis=self.eligibility_basis.data,
            met_on=self.met_on.data,
        )


class WithdrawConsentForm(BaseForm):
    withdrawn_on = _date(_l("Consent withdrawn on"), required=True)


class VersionedForm(BaseForm):
    """A supervisor action on the client as it was shown (a concurrent change is detected)."""

    version = IntegerField(
        widget=widgets.HiddenInput(),
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=BAD_NUMBER,
    )


class ReassignForm(VersionedForm):
    worker = SelectField(
        _l("New social worker"),
        coerce=optional_int,
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
        invalid_value_message=BAD_CHOICE,
    )

    def set_workers(self, workers: Iterable[User]) -> None:
        pairs: list[tuple[object, object]] = [("", _l("Choose a social worker"))]
        self.worker.choices = choices([*pairs, *((w.id, w.display_name) for w in workers)])


class ReopenForm(VersionedForm):
    """Reopen a closed case: the version is all it needs (a concurrent change is detected)."""


class CloseForm(VersionedForm):
    reason = SelectField(
        _l("Reason for closing"),
        choices=choices(
            [("", _l("Choose a reason")), *((r.value, CLOSE_REASON_LABELS[r]) for r in CloseReason)]
        ),
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
    )
    closed_on = _date(_l("Closed on"), required=True)


class LookupForm(BaseForm):
    """Exact search by phone or CCCD number: posted, so the value never reaches a URL or a log."""

    value = StringField(
        _l("Phone or ID number (CCCD)"),
        validators=[InputRequired(message=REQUIRED), Length(max=30, message=TOO_LONG)],
    )

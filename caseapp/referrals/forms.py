"""Referral forms: refer a client (category, provider, date), and move a referral to its next status."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from caseapp.clients.models import ServiceCategory
from caseapp.contacts.forms import BAD_CHOICE, BAD_DATE, DATE_FORMATS, REQUIRED, optional_int
from caseapp.core.forms import BaseForm, IntegerField, choices
from caseapp.providers.labels import CATEGORY_LABELS
from caseapp.providers.models import Provider
from caseapp.referrals.labels import STATUS_LABELS
from caseapp.referrals.models import ReferralStatus
from caseapp.referrals.services import MAX_NOTES_LENGTH


class ReferralForm(BaseForm):
    category = RadioField(
        _l("Service"),
        choices=choices((c.value, CATEGORY_LABELS[c]) for c in ServiceCategory),
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
    )
    provider = SelectField(
        _l("Provider"),
        coerce=optional_int,
        validators=[Optional()],
        invalid_choice_message=BAD_CHOICE,
        invalid_value_message=BAD_CHOICE,
    )
    referred_on = DateField(
        _l("Referred on"),
        format=DATE_FORMATS,
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=BAD_DATE,
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=MAX_NOTES_LENGTH, message=_l("At most %(max)d characters."))],
    )

    def set_providers(self, providers: Iterable[Provider]) -> None:
        """Offer the providers serving the client's ward; none chosen is allowed (not in the directory)."""
        pairs: list[tuple[object, object]] = [("", _l("Not in the directory / decide later"))]
        pairs += [(p.id, p.name) for p in providers]
        self.provider.choices = choices(pairs)


class StatusForm(BaseForm):
    # every status is a valid value here; whether the referral may move there is the service's rule
    status = SelectField(
        _l("New status"),
        choices=choices((s.value, STATUS_LABELS[s]) for s in ReferralStatus),
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
    )
    occurred_on = DateField(
        _l("Date"),
        format=DATE_FORMATS,
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=BAD_DATE,
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(message=REQUIRED)])

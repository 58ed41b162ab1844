"""What a worker reads when a client service refuses: one translated message per named refusal."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from caseapp.clients import errors
from caseapp.clients.labels import FIELD_LABELS
from caseapp.clients.rules import MAX_LENGTHS, OLDEST_AGE, YOUNGEST_AGE
from caseapp.core.clock import hanoi_today

MESSAGES: dict[type[errors.ClientRefused], Any] = {
    errors.ConsentRequired: _l(
        "Without consent for case management no client is registered. Log an anonymous contact instead."
    ),
    errors.ConsentWithdrawn: _l("Consent was withdrawn: personal data can no longer be changed."),
    errors.ConsentNotInForce: _l("There is no consent in force to withdraw."),
    errors.UnknownChoice: _l("Choose one of the options shown."),
    errors.WardNotAllowed: _l("Choose one of your programme wards."),
    errors.NotAllowed: _l("Your account cannot do this for this client."),
    errors.AliasRequired: _l("This field is required."),
    errors.InvalidPhone: _l("Enter a Vietnamese phone number, e.g. 0912 345 678."),
    errors.InvalidIdNumber: _l("A CCCD number has exactly 12 digits."),
    errors.DateInFuture: _l("The date cannot be in the future."),
    errors.DateTooOld: _l("The date is too far in the past; check the year."),
    errors.DateOutOfOrder: _l("This date comes before the date it must follow."),
    errors.BirthDateMismatch: _l("The date of birth is not in the birth year."),
    errors.EligibilityIncomplete: _l("An eligibility decision needs both yes/no and the date it was made."),
    errors.StaleClient: _l(
        "Someone else saved this client after you opened the form. Nothing was saved: reload the page "
        "and make your change again."
    ),
    errors.ClientClosed: _l("This case is closed."),
    errors.ClientNotClosed: _l("This case is open already."),
    errors.ClientErased: _l("This client's personal data was erased; the record cannot be edited."),
    errors.WorkerNotInWard: _l("Choose an active social worker of the client's ward."),
    errors.AlreadyAssigned: _l("The client is already assigned to this social worker."),
}


def message(exc: errors.ClientRefused) -> str:
    """The translated message for a refusal."""
    if isinstance(exc, errors.TextTooLong):
        return _("At most %(max)d characters.", max=MAX_LENGTHS.get(exc.field or "", 0))
    if isinstance(exc, errors.PersonalDataWithoutConsent):
        names = ", ".join(str(FIELD_LABELS.get(name, name)) for name in exc.fields)
        return _(
            "The consent does not cover: %(fields)s. Tick the data it covers, or leave these empty.",
            fields=names,
        )
    if isinstance(exc, errors.InvalidBirthYear):
        year = hanoi_today().year
        first, last = year - OLDEST_AGE, year - YOUNGEST_AGE
        return _("Enter a birth year between %(first)s and %(last)s.", first=first, last=last)
    return str(MESSAGES.get(type(exc), _l("Nothing was saved: check the form.")))


def show_refusal(form: FlaskForm, exc: errors.ClientRefused) -> None:
    """Put the message on the field it concerns, or above the form when it concerns none shown."""
    text = message(exc)
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None and exc.fields:
        field = getattr(form, exc.fields[0], None)
    if field is not None and getattr(field.widget, "input_type", None) != "hidden":
        field.errors = [*field.errors, text]
        flash(_("Nothing was saved: check the form."), "error")
    else:
        flash(text, "error")

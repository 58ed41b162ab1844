"""The named refusals of client work. Each carries the form field it concerns, never the refused value."""

from __future__ import annotations

from collections.abc import Iterable


class ClientRefused(ValueError):
    """A client write that breaks a rule; nothing was written. `field` names the form field, if one."""

    field: str | None = None

    def __init__(self, field: str | None = None, *, fields: Iterable[str] = ()) -> None:
        self.field = field if field is not None else type(self).field
        self.fields = tuple(sorted(fields))
        super().__init__(", ".join(self.fields) or self.field or type(self).__name__)


class ConsentRequired(ClientRefused):
    """A client is registered only with consent given for case management; else log an anonymous contact."""

    field = "consent_given"


class PersonalDataWithoutConsent(ClientRefused):
    """Personal fields whose data category the consent in force does not cover (`fields` names them)."""


class ConsentWithdrawn(ClientRefused):
    """Consent was withdrawn: personal fields can no longer be edited and no new needs are recorded."""


class ConsentNotInForce(ClientRefused):
    """There is no consent in force to withdraw."""


class UnknownChoice(ClientRefused):
    """A code that is not one of the offered options (category, purpose, sex, close reason...)."""


class WardNotAllowed(ClientRefused):
    """The ward is not one of the actor's programme wards."""

    field = "ward"


class NotAllowed(ClientRefused):
    """The actor's role or wards do not allow this action on this client."""


class AliasRequired(ClientRefused):
    """Every client has at least an alias, the name the worker uses."""

    field = "alias"


class TextTooLong(ClientRefused):
    """A text longer than its field's maximum."""


class InvalidBirthYear(ClientRefused):
    """A birth year outside the plausible range."""

    field = "birth_year"


class InvalidPhone(ClientRefused):
    """Not a Vietnamese phone number (mobile 0xxx xxx xxx or landline 02x xxxx xxxx)."""

    field = "phone"


class InvalidIdNumber(ClientRefused):
    """A citizen identity card (CCCD) number has exactly 12 digits."""

    field = "id_number"


class DateInFuture(ClientRefused):
    """A date after today where only past dates make sense."""


class DateTooOld(ClientRefused):
    """A date implausibly far in the past (a typo in the year)."""


class DateOutOfOrder(ClientRefused):
    """A date before the date it must follow (a decision before the need, a withdrawal before consent)."""


class BirthDateMismatch(ClientRefused):
    """The date of birth does not fall in the birth year."""

    field = "date_of_birth"


class EligibilityIncomplete(ClientRefused):
    """An eligibility decision needs yes/no and its date; a date or basis without a decision is refused."""


class PossibleDuplicate(ClientRefused):
    """Clients in the actor's wards may be the same person; `codes` are their client codes only."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = tuple(sorted(codes))
        super().__init__(None)


class StaleClient(ClientRefused):
    """Someone else saved this client since the form was opened: reload, nothing was overwritten."""


class ClientClosed(ClientRefused):
    """A closed case takes no new needs, reassignment or second closing."""


class ClientNotClosed(ClientRefused):
    """Only a closed case can be reopened."""


class ClientErased(ClientRefused):
    """The personal data of this client was erased; it cannot be edited."""


class WorkerNotInWard(ClientRefused):
    """The new worker is not an active social worker of the client's ward."""

    field = "worker"


class AlreadyAssigned(ClientRefused):
    """The client is already assigned to this worker."""

    field = "worker"

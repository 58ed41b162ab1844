"""The caseload page, the home page of workers and supervisors (served by home.index and clients.caseload)."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, url_for

from caseapp.clients import queries, services
from caseapp.clients.forms import LookupForm
from caseapp.clients.labels import ClientLabels


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to another feature's page, or None while that page does not exist."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def caseload_page(user: Any, *, page: int = 1) -> str:
    """Render one page of `user`'s caseload; the aliases it shows are audited by client id."""
    result = queries.caseload(user, page=page)
    services.record_list_view(client_ids=[row.id for row in result.rows], actor=user, kind="caseload")
    return render_template(
        "clients/caseload.html",
        caseload=result,
        ward_names={w.code: w.name for w in user.wards},
        lookup_form=LookupForm(),
        anonymous_contact_url=optional_url("contacts.new_anonymous"),
        client_labels=ClientLabels,
    )

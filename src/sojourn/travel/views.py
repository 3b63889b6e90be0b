"""Trip requests: the list, the request form, the approval queue, a trip with its decisions and crossings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sojourn.accounts.decorators import require_roles
from sojourn.accounts.roles import OFFICIAL_READERS
from sojourn.audit.services import record_read
from sojourn.custody.selectors import visible_documents
from sojourn.travel import selectors, services
from sojourn.travel.forms import ChooseOfficialForm, ReasonForm, TripFilterForm, TripRequestForm
from sojourn.travel.models import Trip, TripStatus

QUEUE_ROLES = selectors.APPROVERS | selectors.HOLD_KEEPERS


@require_roles(*OFFICIAL_READERS)
def trip_list(request: HttpRequest) -> HttpResponse:
    form = TripFilterForm(request.GET or None)
    qs = selectors.visible_trips(request.user).order_by("-depart_date", "trip_id")
    if form.is_valid():
        qs = selectors.filter_trips(qs, status=form.cleaned_data["status"], official=form.cleaned_data["official"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    may_request = selectors.requestable_officials(request.user).exists()
    return render(request, "travel/list.html", {"form": form, "page": page, "may_request": may_request})


@require_roles(*selectors.REQUESTERS)
def trip_new(request: HttpRequest) -> HttpResponse:
    officials = selectors.requestable_officials(request.user)
    chosen = request.POST.get("official") or request.GET.get("official") or ""
    official = officials.filter(official_id=chosen).first() if chosen else None
    choose = ChooseOfficialForm({"official": chosen} if chosen else None, officials=officials)
    if official is None:
        return render(request, "travel/new.html", {"choose": choose, "form": None, "official": None})
    # Any document in the requester's scope may be ticked; the service refuses another holder's by name.
    documents = visible_documents(request.user)
    own = documents.filter(holder=official)
    posted = request.method == "POST"
    form = TripRequestForm(request.POST if posted else None, documents=documents if posted else own,
                           initial={"official": official.official_id, "purpose": "private"})
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            trip = services.submit_trip(
                official=official, purpose=data["purpose"], destinations=data["destinations"],
                depart_date=data["depart_date"], return_date=data["return_date"],
                documents=list(data["documents"]), note=data["note"], actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if trip.status == TripStatus.ON_HOLD:
                messages.warning(request, _("Request submitted and put on hold: the official is on a list."))
            else:
                messages.success(request, _("Request submitted."))
            return redirect("travel:trip", trip_id=trip.trip_id)
    form.fields["documents"].queryset = own  # type: ignore[attr-defined]
    return render(request, "travel/new.html", {"choose": choose, "form": form, "official": official})


@require_roles(*QUEUE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    trips = list(selectors.approval_queue(request.user).prefetch_related("documents")[:200])
    return render(request, "travel/queue.html", {"trips": trips})


def _trip(request: HttpRequest, trip_id: str) -> Trip:
    trip = selectors.visible_trips(request.user).filter(trip_id=trip_id).first()
    if trip is None:
        raise Http404
    return trip


def _permissions(request: HttpRequest, trip: Trip) -> dict[str, bool]:
    user = request.user
    undecided = trip.status in (TripStatus.PENDING, TripStatus.ON_HOLD)
    return {
        "may_decide": trip.status == TripStatus.PENDING
        and selectors.decidable_trips(user).filter(pk=trip.pk).exists(),
        "may_withdraw": undecided and selectors.requestable_trips(user).filter(pk=trip.pk).exists(),
        "may_keep_hold": trip.status == TripStatus.ON_HOLD and selectors.hold_trips(user).filter(pk=trip.pk).exists(),
    }


@require_roles(*OFFICIAL_READERS)
def trip_detail(request: HttpRequest, trip_id: str) -> HttpResponse:
    trip = _trip(request, trip_id)
    record_read(actor=request.user, obj=trip, purpose="trip detail page")
    context: dict[str, Any] = {
        "trip": trip, "documents": list(trip.documents.all()), "reason_form": ReasonForm(),
        "crossings": list(trip.crossings.order_by("crossed_at")),
        "journeys": list(trip.journeys.select_related("entry").order_by("exit_date")),
        **_permissions(request, trip),
    }
    return render(request, "travel/detail.html", context)


def _act(request: HttpRequest, trip_id: str, action: str) -> HttpResponse:
    trip = _trip(request, trip_id)
    reason = ReasonForm(request.POST).data.get("reason", "") or ""
    try:
        if action == "approve":
            services.approve_trip(trip=trip, actor=request.user, reason=reason)
            messages.success(request, _("Trip approved; the documents are checked out."))
        elif action == "reject":
            services.reject_trip(trip=trip, actor=request.user, reason=reason)
            messages.success(request, _("Trip rejected."))
        elif action == "withdraw":
            services.withdraw_trip(trip=trip, actor=request.user)
            messages.success(request, _("Request withdrawn."))
        elif action == "lift":
            services.lift_hold(trip=trip, actor=request.user, reason=reason)
            messages.success(request, _("Hold lifted; the request awaits a decision."))
        else:
            services.confirm_hold(trip=trip, actor=request.user, reason=reason)
            messages.success(request, _("Hold confirmed; the request is rejected."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("travel:trip", trip_id=trip.trip_id)


@require_POST
@require_roles(*selectors.APPROVERS)
def approve(request: HttpRequest, trip_id: str) -> HttpResponse:
    return _act(request, trip_id, "approve")


@require_POST
@require_roles(*selectors.APPROVERS)
def reject(request: HttpRequest, trip_id: str) -> HttpResponse:
    return _act(request, trip_id, "reject")


@require_POST
@require_roles(*selectors.REQUESTERS)
def withdraw(request: HttpRequest, trip_id: str) -> HttpResponse:
    return _act(request, trip_id, "withdraw")


@require_POST
@require_roles(*selectors.HOLD_KEEPERS)
def lift_hold(request: HttpRequest, trip_id: str) -> HttpResponse:
    return _act(request, trip_id, "lift")


@require_POST
@require_roles(*selectors.HOLD_KEEPERS)
def confirm_hold(request: HttpRequest, trip_id: str) -> HttpResponse:
    return _act(request, trip_id, "confirm")

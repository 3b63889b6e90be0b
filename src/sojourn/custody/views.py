"""The document desk: who holds what, what is out, what is overdue; intake, checkout, return, loss."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sojourn.accounts.decorators import require_roles
from sojourn.accounts.roles import OFFICIAL_READERS
from sojourn.audit.services import record_read
from sojourn.custody import services
from sojourn.custody.forms import CancelForm, CheckoutForm, DeskFilterForm, IntakeForm, LossForm, RenewForm
from sojourn.custody.models import TravelDocument
from sojourn.custody.selectors import DESK_ROLES, desk_documents, filter_desk, visible_documents
from sojourn.registry.selectors import visible_officials


@require_roles(*OFFICIAL_READERS)
def desk(request: HttpRequest) -> HttpResponse:
    form = DeskFilterForm(request.GET or None)
    qs = visible_documents(request.user).order_by("custody", "due_back", "holder__official_id")
    today = timezone.localdate()
    if form.is_valid():
        qs = filter_desk(qs, state=form.cleaned_data["state"], status=form.cleaned_data["status"],
                         text=form.cleaned_data["q"],
                         overdue_on=today if form.cleaned_data["overdue"] else None)
    base = visible_documents(request.user)
    counts = {
        "in_custody": base.filter(custody="in_custody").count(),
        "checked_out": base.filter(custody="checked_out").count(),
        "overdue": filter_desk(base, overdue_on=today).count(),
        "not_handed_in": base.filter(custody="not_handed_in").count(),
    }
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "custody/desk.html", {"form": form, "page": page, "counts": counts, "today": today})


def _document(request: HttpRequest, pk: int, *, desk_only: bool = False) -> TravelDocument:
    qs = desk_documents(request.user) if desk_only else visible_documents(request.user)
    document = qs.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


@require_roles(*OFFICIAL_READERS)
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    record_read(actor=request.user, obj=document, purpose="document detail page")
    context = {"document": document, "events": list(document.events.select_related("actor")),
               "checkout_form": CheckoutForm(), "loss_form": LossForm(), "cancel_form": CancelForm(),
               "renew_form": RenewForm(),
               "may_act": bool(desk_documents(request.user).filter(pk=document_id).exists())}
    return render(request, "custody/document_detail.html", context)


@require_roles(*DESK_ROLES)
def intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, initial={"official_id": request.GET.get("official", "")})
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder = visible_officials(request.user).filter(official_id=data["official_id"]).first()
        if holder is None:
            form.add_error("official_id", _("No official with this ID in your units."))
        else:
            fields = {k: data[k] for k in ("doc_type", "issuer", "issue_date", "expiry_date", "mrz")}
            check = services.check_for_holder(holder=holder, number=data["number"] or "", **fields)
            if check["valid"] or data["accept_problems"]:
                try:
                    document, check = services.intake_document(
                        holder=holder, number=data["number"] or "", on=timezone.localdate(), actor=request.user,
                        check=check, **fields)
                except services.DeskError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Document taken into custody."))
                    return redirect("custody:document", document_id=document.pk)
    return render(request, "custody/intake.html", {"form": form, "check": check})


@require_POST
@require_roles(*DESK_ROLES)
def checkout(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id, desk_only=True)
    form = CheckoutForm(request.POST)
    if form.is_valid():
        try:
            services.checkout_document(document=document, on=timezone.localdate(), actor=request.user,
                                       **form.cleaned_data)
            messages.success(request, _("Document checked out."))
        except services.DeskError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Give the due date."))
    return redirect("custody:document", document_id=document_id)


@require_POST
@require_roles(*DESK_ROLES)
def return_view(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        services.return_document(document=_document(request, document_id, desk_only=True), on=timezone.localdate(),
                                 actor=request.user)
        messages.success(request, _("Document returned to custody."))
    except services.DeskError as exc:
        messages.error(request, str(exc))
    return redirect("custody:document", document_id=document_id)


@require_POST
@require_roles(*DESK_ROLES)
def cancel(request: HttpRequest, document_id: int) -> HttpResponse:
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_document(document=_document(request, document_id, desk_only=True),
                                     on=timezone.localdate(), actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Cancellation recorded."))
        except services.DeskError as exc:
            messages.error(request, str(exc))
    return redirect("custody:document", document_id=document_id)


@require_POST
@require_roles(*DESK_ROLES)
def renew(request: HttpRequest, document_id: int) -> HttpResponse:
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new number and its issue date."))
        return redirect("custody:document", document_id=document_id)
    try:
        successor = services.renew_document(document=_document(request, document_id, desk_only=True),
                                            on=timezone.localdate(), actor=request.user,
                                            mrz=form.cleaned_data["mrz"] or "", number=form.cleaned_data["number"],
                                            issue_date=form.cleaned_data["issue_date"],
                                            expiry_date=form.cleaned_data["expiry_date"])
    except services.DeskError as exc:
        messages.error(request, str(exc))
        return redirect("custody:document", document_id=document_id)
    messages.success(request, _("Renewal recorded; hand the new document in within 7 days."))
    return redirect("custody:document", document_id=successor.pk)


@require_POST
@require_roles(*DESK_ROLES)
def lost(request: HttpRequest, document_id: int) -> HttpResponse:
    form = LossForm(request.POST)
    if form.is_valid():
        try:
            services.report_lost(document=_document(request, document_id, desk_only=True), on=timezone.localdate(),
                                 actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Loss recorded."))
        except services.DeskError as exc:
            messages.error(request, str(exc))
    return redirect("custody:document", document_id=document_id)

"""Declarations: the list, entering and correcting a report, a report with its versions and verifications,
the inspector's sample and verification, and the sign-off."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sojourn.accounts.decorators import require_roles
from sojourn.accounts.roles import has_role
from sojourn.audit.services import record_read
from sojourn.declarations import selectors, services
from sojourn.declarations.forms import (
    ChooseOfficialForm,
    DeclarationFilterForm,
    DeclarationForm,
    ItemFormSet,
    SampleForm,
    SignOffForm,
    item_rows,
)
from sojourn.declarations.models import Declaration, DeclarationStatus, Verification, VerificationStatus
from sojourn.registry.models import Official, Relative


@require_roles(*selectors.READERS)
def declaration_list(request: HttpRequest) -> HttpResponse:
    form = DeclarationFilterForm(request.GET or None)
    qs = selectors.visible_declarations(request.user).order_by("-year", "official__official_id", "kind", "-version")
    if form.is_valid():
        qs = selectors.filter_declarations(qs, year=form.cleaned_data["year"], status=form.cleaned_data["status"],
                                           official=form.cleaned_data["official"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "declarations/list.html", {
        "form": form, "page": page, "may_enter": selectors.declarable_officials(request.user).exists(),
        "may_verify": _verifier(request)})


def _verifier(request: HttpRequest) -> bool:
    return has_role(request.user, *selectors.VERIFIERS)


def _formset(request: HttpRequest, official: Official, initial: list[dict[str, Any]] | None = None) -> Any:
    relatives = Relative.objects.filter(official=official).order_by("relative_id")
    posted = request.method == "POST"
    return ItemFormSet(request.POST if posted else None, initial=initial, prefix="items",
                       form_kwargs={"relatives": relatives})


def _save(request: HttpRequest, official: Official,
          draft: Declaration | None) -> tuple[HttpResponse | None, dict[str, Any]]:
    """Save (and with ``submit``, submit) the posted report: a redirect, or None and the forms to show again."""
    form = DeclarationForm(request.POST)
    formset = _formset(request, official)
    forms = {"form": form, "formset": formset}
    if not (form.is_valid() and formset.is_valid()):
        return None, forms
    try:
        items = item_rows(formset)
        if draft is None:
            draft = services.create_declaration(official=official, year=form.cleaned_data["year"],
                                                kind=form.cleaned_data["kind"], items=items, actor=request.user)
        else:
            draft = services.update_draft(declaration=draft, items=items, actor=request.user)
        if "submit" in request.POST:
            draft = services.submit_declaration(declaration=draft, actor=request.user)
            messages.success(request, _("Declaration submitted."))
        else:
            messages.success(request, _("Draft saved."))
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None, forms
    return redirect("declarations:detail", declaration_id=draft.pk), forms


@require_roles(*selectors.DECLARANTS)
def declaration_new(request: HttpRequest) -> HttpResponse:
    officials = selectors.declarable_officials(request.user)
    chosen = request.POST.get("official") or request.GET.get("official") or ""
    official = officials.filter(official_id=chosen).first() if chosen else None
    choose = ChooseOfficialForm({"official": chosen} if chosen else None, officials=officials)
    context: dict[str, Any] = {"choose": choose, "official": official, "form": None, "formset": None}
    if official is not None:
        if request.method == "POST":
            done, forms = _save(request, official, None)
            if done is not None:
                return done
            context.update(forms)
        else:
            context.update(form=DeclarationForm(initial={"kind": "annual"}), formset=_formset(request, official))
    return render(request, "declarations/edit.html", context)


def _declaration(request: HttpRequest, declaration_id: int) -> Declaration:
    declaration = selectors.visible_declarations(request.user).filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    return declaration


@require_roles(*selectors.DECLARANTS)
def declaration_edit(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = selectors.editable_declarations(request.user).filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    if declaration.status != DeclarationStatus.DRAFT:
        messages.error(request, _("A submitted declaration cannot be changed; enter a correction."))
        return redirect("declarations:detail", declaration_id=declaration.pk)
    official = declaration.official
    context: dict[str, Any] = {"official": official, "declaration": declaration, "choose": None}
    if request.method == "POST":
        done, forms = _save(request, official, declaration)
        if done is not None:
            return done
        context.update(forms)
    else:
        initial = [{**item, "relative": _relative_id(item.pop("relative_id"))}
                   for item in services.item_values(declaration)]
        context.update(form=DeclarationForm(initial={"year": declaration.year, "kind": declaration.kind}),
                       formset=_formset(request, official, initial))
    return render(request, "declarations/edit.html", context)


def _relative_id(pk: int | None) -> str:
    return Relative.objects.filter(pk=pk).values_list("relative_id", flat=True).first() or "" if pk else ""


def evidence_link(ref: str) -> tuple[str, str]:
    """``("relative:RA-1")`` → (label, URL or "")."""
    kind, _sep, key = ref.partition(":")
    names = {"official": ("registry:official", "official_id"), "relative": ("registry:relative", "relative_id"),
             "document": ("custody:document", "document_id")}
    if kind in names:
        name, arg = names[kind]
        try:
            return ref, reverse(name, kwargs={arg: int(key) if arg == "document_id" else key})
        except (NoReverseMatch, ValueError):
            return ref, ""
    return ref, ""


def _discrepancies(verification: Verification) -> list[dict[str, Any]]:
    return [{"d": d, "evidence": [evidence_link(e) for e in d.evidence]} for d in verification.discrepancies.all()]


@require_roles(*selectors.READERS)
def declaration_detail(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _declaration(request, declaration_id)
    show_relatives = selectors.may_read_relatives(request.user)
    record_read(actor=request.user, obj=declaration, purpose="declaration detail page")
    items = list(declaration.items.select_related("relative"))
    hidden = 0 if show_relatives else sum(1 for i in items if i.relative_id)
    if not show_relatives:
        items = [i for i in items if not i.relative_id]
    chain = selectors.visible_declarations(request.user).filter(
        official=declaration.official, year=declaration.year, kind=declaration.kind).order_by("version")
    verifications = []
    if show_relatives:
        for v in declaration.verifications.all():
            verifications.append({"v": v, "rows": _discrepancies(v)})
    user = request.user
    in_force = selectors.in_force(Declaration.objects.filter(pk=declaration.pk)).exists()
    context = {
        "declaration": declaration, "items": items, "hidden_items": hidden, "versions": list(chain),
        "verifications": verifications, "show_relatives": show_relatives,
        "may_edit": declaration.status == DeclarationStatus.DRAFT
        and selectors.editable_declarations(user).filter(pk=declaration.pk).exists(),
        "may_correct": in_force and selectors.editable_declarations(user).filter(pk=declaration.pk).exists()
        and not declaration.corrections.exists(),
        "may_verify": in_force and selectors.verifiable_declarations(user).filter(pk=declaration.pk).exists(),
    }
    return render(request, "declarations/detail.html", context)


@require_POST
@require_roles(*selectors.DECLARANTS)
def correct(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _declaration(request, declaration_id)
    try:
        draft = services.correct_declaration(declaration=declaration, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("declarations:detail", declaration_id=declaration.pk)
    messages.success(request, _("Correction started: change the items and submit it."))
    return redirect("declarations:edit", declaration_id=draft.pk)


@require_POST
@require_roles(*selectors.VERIFIERS)
def verify(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _declaration(request, declaration_id)
    try:
        verification = services.verify_declaration(declaration=declaration, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("declarations:detail", declaration_id=declaration.pk)
    return redirect("declarations:verification_detail", verification_id=verification.pk)


@require_roles(*selectors.VERIFIERS)
def verification_home(request: HttpRequest) -> HttpResponse:
    form = SampleForm(request.POST or None)
    run = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.run_verification(year=data["year"], actor=request.user, share=data["share"],
                                            seed=data["seed"], promotion=form.ids(data["promotion"]),
                                            complaints=form.ids(data["complaints"]))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Sample drawn (seed %(seed)s) and %(n)s declarations verified.")
                             % {"seed": run.sample.seed, "n": len(run.verifications)})
    recent = selectors.signable_verifications(request.user).order_by("-run_at", "-id")[:100]
    return render(request, "declarations/verification.html", {"form": form, "run": run, "recent": recent})


def _verification(request: HttpRequest, verification_id: int) -> Verification:
    verification = selectors.signable_verifications(request.user).filter(pk=verification_id).first()
    if verification is None:
        raise Http404
    return verification


@require_roles(*selectors.VERIFIERS)
def verification_detail(request: HttpRequest, verification_id: int) -> HttpResponse:
    verification = _verification(request, verification_id)
    record_read(actor=request.user, obj=verification, purpose="verification page")
    return render(request, "declarations/verification_detail.html", {
        "v": verification, "rows": _discrepancies(verification), "form": SignOffForm(),
        "may_sign": verification.status == VerificationStatus.COMPLETED})


@require_POST
@require_roles(*selectors.VERIFIERS)
def sign_off(request: HttpRequest, verification_id: int) -> HttpResponse:
    verification = _verification(request, verification_id)
    form = SignOffForm(request.POST)
    try:
        services.sign_off_verification(verification=verification, actor=request.user,
                                       outcome=form.data.get("outcome", "") or "")
        messages.success(request, _("Verification signed off."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("declarations:verification_detail", verification_id=verification.pk)

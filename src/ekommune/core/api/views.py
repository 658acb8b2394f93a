"""Core API: the current municipality, its staff and its audit log. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ekommune.core import selectors, services
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality, Role


def request_municipality(request: Request) -> Municipality:
    municipality: Municipality | None = getattr(request._request, "municipality", None)
    if municipality is None:
        raise NotFoundError("Fant ingen kommune på denne adressen.", code="municipality_not_found")
    return municipality


class MunicipalityView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        municipality = request_municipality(request)
        return Response(
            {
                "name": municipality.name,
                "slug": municipality.slug,
                "number": municipality.number,
                "organisation_number": municipality.organisation_number,
                "primary_colour": municipality.primary_colour,
                "accent_colour": municipality.accent_colour,
                "email": municipality.email,
                "phone": municipality.phone,
                "visiting_address": municipality.visiting_address,
                "domains": [domain.host_name for domain in municipality.domains.all()],
            }
        )


class StaffListView(APIView):
    def get(self, request: Request) -> Response:
        municipality = request_municipality(request)
        staff = selectors.staff_search(
            actor=request.user, municipality=municipality, query=request.query_params.get("q", "")
        )
        return Response(
            {
                "count": len(staff),
                "results": [
                    {
                        "user_id": s.user_id,
                        "username": s.username,
                        "name": s.full_name,
                        "email": s.email,
                        "roles": list(s.roles),
                    }
                    for s in staff
                ],
            }
        )


class RoleInput(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


def _user_or_404(username: str) -> Any:
    user = selectors.user_active_by_username(username=username)
    if user is None:
        raise NotFoundError("Fant ingen aktiv bruker med dette brukernavnet.", field="username")
    return user


class StaffRolesView(APIView):
    """POST grants a role in the current municipality; DELETE (same body) takes it away."""

    def post(self, request: Request) -> Response:
        municipality = request_municipality(request)
        data = RoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user_or_404(data.validated_data["username"])
        services.staff_role_grant(
            actor=request.user, municipality=municipality, user=user, role=data.validated_data["role"]
        )
        return Response({"username": user.username, "role": data.validated_data["role"]}, status=201)

    def delete(self, request: Request) -> Response:
        municipality = request_municipality(request)
        data = RoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user_or_404(data.validated_data["username"])
        services.staff_role_revoke(
            actor=request.user, municipality=municipality, user=user, role=data.validated_data["role"]
        )
        return Response(status=204)


class AuditEventListView(APIView):
    def get(self, request: Request) -> Response:
        municipality = request_municipality(request)
        events = selectors.audit_event_list(actor=request.user, municipality=municipality)
        return Response(
            {
                "results": [
                    {
                        "sequence": e.sequence,
                        "occurred_at": e.occurred_at.isoformat(),
                        "actor": e.actor_label,
                        "action": e.action,
                        "object_type": e.object_type,
                        "object_id": e.object_id,
                        "hash": e.hash,
                    }
                    for e in events
                ]
            }
        )

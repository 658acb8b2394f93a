"""Files over the Noark 5 API: upload (whole, or in parts above ``bulkgrense``) and download."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.http import FileResponse
from rest_framework import status
from rest_framework.exceptions import NotAcceptable
from rest_framework.request import Request
from rest_framework.response import Response

from ekommune.archive import selectors, services
from ekommune.archive.api.base import NoarkView
from ekommune.archive.api.noark import MEDIA_TYPE, RawFileParser
from ekommune.archive.api.resources import ENTITIES
from ekommune.archive.models import DocumentDescription, DocumentObject
from ekommune.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.validators import is_ascii_digits

BULK_LIMIT = 150 * 1024 * 1024


class FileView(NoarkView):
    """A view that takes and gives files (``.../fil/``) besides its Noark objects."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file download answers in the file's own type; ``download`` checks Accept against it.
        return super().perform_content_negotiation(request, force=True)

    def upload(self, request: Request, obj: Any, municipality: Municipality) -> Response:
        """Raw bytes (Content-Type = the file's type) to a document (a new object) or to an object without a file."""
        length = int(request.headers.get("Content-Length") or 0)
        if length > BULK_LIMIT:
            raise PermissionDeniedError(
                "Filen er større enn bulkgrensen: last opp i deler (X-Upload-Content-Length).",
                code="bulk_limit",
            )
        if length == 0 and request.headers.get("X-Upload-Content-Length"):
            return self.start_chunked_upload(request, obj, municipality)
        if length == 0:
            raise ValidationError("Filen er tom.", code="empty_file", field="fil")
        content: Any = request._request  # a file-like stream: read in chunks, never whole
        if isinstance(obj, DocumentObject):
            created = services.document_object_upload(
                actor=request.user, municipality=municipality, document_object=obj, content=content
            )
            return self.detail(
                ENTITIES["dokumentobjekt"],
                created,
                self.context(request),
                status_code=status.HTTP_201_CREATED,
            )
        if not isinstance(obj, DocumentDescription):
            raise NotFoundError("Filer lastes opp til en dokumentbeskrivelse eller et dokumentobjekt.")
        created = services.document_object_add(
            actor=request.user,
            municipality=municipality,
            document=obj,
            file_name=request.headers.get("X-Filename") or _filename(request) or "dokument",
            content=content,
            variant_format=request.query_params.get("variantformat", "P"),
            expected_sha256=request.headers.get("X-Checksum-SHA256", ""),
        )
        return self.detail(
            ENTITIES["dokumentobjekt"], created, self.context(request), status_code=status.HTTP_201_CREATED
        )

    def start_chunked_upload(self, request: Request, obj: Any, municipality: Municipality) -> Response:
        """Content-Length 0 with X-Upload-Content-Type/-Length: 200 and the session's address in Location."""
        if not isinstance(obj, DocumentDescription | DocumentObject):
            raise NotFoundError("Filer lastes opp til en dokumentbeskrivelse eller et dokumentobjekt.")
        declared = request.headers.get("X-Upload-Content-Length", "")
        if not is_ascii_digits(declared):
            raise ValidationError(
                "X-Upload-Content-Length må være et heltall.",
                code="invalid_size",
                field="X-Upload-Content-Length",
            )
        session = services.upload_session_start(
            actor=request.user,
            municipality=municipality,
            target=obj,
            file_name=request.headers.get("X-Filename") or _filename(request) or "dokument",
            mime_type=request.headers.get("X-Upload-Content-Type", ""),
            total_size=int(declared),
        )
        location = self.context(request).url("arkivstruktur", "opplasting", session.system_id)
        return Response(status=status.HTTP_200_OK, headers={"Location": location})

    def download(self, request: Request, obj: Any) -> FileResponse:
        if not isinstance(obj, DocumentObject):
            obj = (
                obj.document_objects.order_by("-version_number", "variant_format").first()
                if isinstance(obj, DocumentDescription)
                else None
            )
            if obj is None:
                raise NotFoundError("Dokumentet har ingen fil.")
        accept = request.headers.get("Accept", "*/*")
        if "*/*" not in accept and obj.mime_type not in accept and MEDIA_TYPE not in accept:
            raise NotAcceptable(f"Filen er {obj.mime_type}.")
        stream = selectors.document_object_open(
            actor=request.user, municipality=self.municipality(request), document_object=obj
        )
        response = FileResponse(
            stream, content_type=obj.mime_type, as_attachment=True, filename=obj.file_name
        )
        response["Content-Length"] = str(obj.size)
        return response


def _filename(request: Request) -> str:
    disposition = request.headers.get("Content-Disposition", "")
    _, _, name = disposition.partition("filename=")
    return name.strip().strip('"')


CONTENT_RANGE = re.compile(r"^(?:bytes\s+)?(\d+)-(\d+)/(\d+)$")


class ChunkedUploadView(NoarkView):
    """PUT one part of a chunked upload with ``Content-Range: <first>-<last>/<total>``."""

    parser_classes = [RawFileParser]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    def put(self, request: Request, system_id: UUID) -> Response:
        municipality = self.municipality(request)
        session = selectors.upload_session(actor=request.user, municipality=municipality, system_id=system_id)
        match = CONTENT_RANGE.match(request.headers.get("Content-Range", "").strip())
        if match is None:
            raise ValidationError(
                "Content-Range må være <første>-<siste>/<total>.",
                code="range_mismatch",
                field="Content-Range",
            )
        first, last, total = (int(group) for group in match.groups())
        if last < first or int(request.headers.get("Content-Length") or 0) != last - first + 1:
            raise ValidationError(
                "Content-Range og Content-Length stemmer ikke.", code="range_mismatch", field="Content-Range"
            )
        content: Any = request._request
        result = services.upload_session_append(
            actor=request.user,
            municipality=municipality,
            session=session,
            offset=first,
            total_size=total,
            content=content,
        )
        ctx = self.context(request)
        if isinstance(result, DocumentObject):
            return self.detail(ENTITIES["dokumentobjekt"], result, ctx, status_code=status.HTTP_201_CREATED)
        headers = {
            "Range": f"0-{result.received - 1}",
            "Location": ctx.url("arkivstruktur", "opplasting", result.system_id),
        }
        return Response(status=status.HTTP_200_OK, headers=headers)

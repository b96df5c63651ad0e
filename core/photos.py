"""Photos people upload as evidence (practical assessments, field audits): what they really are."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

# What Pillow reports for the file's real content -> the type it is served with, its extension.
# HEIC is left out on purpose: only Safari displays it, and iOS already converts camera photos to
# JPEG for an <input accept="image/*">.
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}


def photo_kind(uploaded_file) -> tuple[str, str]:
    """
    Return the content type and extension of `uploaded_file` from its real content, whatever
    its name or declared type say; refuse anything but a whole JPEG, PNG or WebP image.
    """
    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            # A tiny file that decompresses to a huge picture is refused, not just warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file, formats=list(PHOTO_FORMATS)) as image:
                kind = image.format
                width, height = image.size
                image.verify()
    except Exception as exc:  # Pillow raises many kinds of error for foreign or damaged files
        raise ValidationError(_("Upload a photo: a JPEG, PNG or WebP image.")) from exc
    finally:
        uploaded_file.seek(0)
    max_pixels = getattr(settings, "PRACTICAL_EVIDENCE_MAX_PIXELS", 50_000_000)
    if width * height > max_pixels:
        raise ValidationError(
            _("The photo has %(have)s megapixels; at most %(max)s are accepted.")
            % {"have": round(width * height / 1_000_000), "max": round(max_pixels / 1_000_000)}
        )
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("Upload a photo: a JPEG, PNG or WebP image."))
    return PHOTO_FORMATS[kind]

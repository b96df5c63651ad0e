from django.conf import settings
from django.core.checks import Error, Warning, register

from .keys import key_store


@register("certificates")
def certificate_signing_key_check(app_configs=None, **kwargs):
    """
    Report a missing signing key where none may be generated on first use: a key generated
    silently by one of several servers would sign certificates the others cannot verify.
    """
    if settings.CERTIFICATE_KEY_AUTOGENERATE:
        return []
    store = key_store()
    try:
        current = store.current()
    except (OSError, ValueError) as exc:
        return [
            Error(
                f"The certificate keys in {store.directory} cannot be read: {exc}",
                hint="Check CERTIFICATE_KEY_DIR and the files in it.",
                id="certificates.E002",
            )
        ]
    if current is None:
        return [
            Error(
                f"There is no certificate signing key in {store.directory}.",
                hint=(
                    "Run `manage.py certificate_keys generate` with CERTIFICATE_KEY_DIR on "
                    "storage every web and worker process shares, and back the directory up."
                ),
                id="certificates.E001",
            )
        ]
    return []


@register("certificates")
def certificate_cjk_font_check(app_configs=None, **kwargs):
    """
    Warn when certificates would be drawn without an embedded CJK font: reportlab's fallback,
    STSong-Light, is not embedded, and Chrome's PDF viewer shows its Chinese as blanks.
    """
    from core.pdf import FALLBACK_CID_FONT, cjk_font_paths, has_truetype_outlines

    configured = settings.CERTIFICATE_CJK_FONT or ""
    warnings = []
    if configured and not has_truetype_outlines(configured):
        warnings.append(
            Warning(
                f"CERTIFICATE_CJK_FONT={configured!r} is not a TrueType font file.",
                hint="Name a .ttf or .ttc file with TrueType outlines, such as "
                "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc (Debian's fonts-wqy-microhei); "
                "OpenType CFF fonts such as Noto CJK cannot be embedded.",
                id="certificates.W002",
            )
        )
    paths = cjk_font_paths(configured)
    if not any(has_truetype_outlines(path) for path in paths):
        warnings.append(
            Warning(
                f"No TrueType CJK font found (searched {', '.join(paths)}): certificate PDFs "
                f"fall back to {FALLBACK_CID_FONT}, which Chrome's PDF viewer shows blank.",
                hint="apt-get install fonts-wqy-microhei, or set CERTIFICATE_CJK_FONT to a "
                "TrueType CJK font file.",
                id="certificates.W001",
            )
        )
    return warnings

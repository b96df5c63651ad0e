"""StreamField blocks of a lesson: the forms training content takes at a service counter."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class VideoBlock(blocks.StructBlock):
    """A video from a video site (embed) or an uploaded file (a document), with a caption."""

    embed = EmbedBlock(label=_("Video link"), required=False)
    file = DocumentChooserBlock(label=_("Uploaded video file"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("embed") and not value.get("file"):
            raise blocks.StructBlockValidationError(
                block_errors={"embed": _("Give a video link or choose an uploaded file.")}
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "courses/blocks/download.html"


class ProcedureStepBlock(blocks.StructBlock):
    instruction = blocks.RichTextBlock(
        label=_("Instruction"), features=["bold", "italic", "link", "ul", "ol"]
    )
    warning = blocks.CharBlock(
        label=_("Safety warning"),
        required=False,
        help_text=_("Shown highlighted, e.g. wear the ESD wrist strap before opening the device."),
    )
    image = ImageBlock(label=_("Image"), required=False)


class ProcedureBlock(blocks.StructBlock):
    """A standard procedure: numbered steps, each with an optional safety warning and image."""

    title = blocks.CharBlock(label=_("Procedure"))
    steps = blocks.ListBlock(ProcedureStepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Procedure")
        template = "courses/blocks/procedure.html"


class PolicyClauseBlock(blocks.StructBlock):
    """A warranty, pricing or parts rule quoted with its source and the date it took effect."""

    clause = blocks.RichTextBlock(label=_("Clause"), features=["bold", "italic", "ul", "ol"])
    source = blocks.CharBlock(
        label=_("Source"), help_text=_("e.g. 移动电话机商品修理更换退货责任规定 第八条")
    )
    effective_date = blocks.DateBlock(label=_("Effective date"))
    note = blocks.CharBlock(label=_("How it applies at the counter"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Policy clause")
        template = "courses/blocks/policy_clause.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"))
    image = ImageBlock(label=_("Image"))
    video = VideoBlock()
    download = DownloadBlock()
    procedure = ProcedureBlock()
    policy_clause = PolicyClauseBlock()

"""
StreamField blocks of a lesson: the forms training content takes at a service counter.

A lesson is written once, in Chinese, and each block carries its English beside the original
(`title` and `title_en`, `text` and `text_en` ...): the trainer translates block by block, and
the learner's page shows each block in the reader's language, in Chinese where the English is
empty. Lessons written before kept their English in a second stream (`LessonPage.body_en`);
migration 0007 moved it into the blocks, and `stream_merge` below is how.
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text import RichText

from core.i18n import reads_english


def _written(value) -> bool:
    """Return whether a field holds something: an empty editor stores an empty paragraph."""
    if isinstance(value, RichText):
        return bool(strip_tags(value.source).strip()) or "<embed" in value.source
    return bool(value)


class BilingualValue(blocks.StructValue):
    """A block's value; `shown` holds each field in the reader's language (see the module)."""

    @property
    def shown(self) -> dict:
        english = reads_english()
        shown = {}
        for name, value in self.items():
            if name.endswith("_en"):
                continue
            translated = self.get(f"{name}_en")
            shown[name] = translated if english and _written(translated) else value
        return shown


class PictureValue(BilingualValue):
    @property
    def shown_alt(self) -> str:
        image = self.get("image")
        if image is None or image.decorative:
            return ""
        return (reads_english() and self.get("alt_text_en")) or image.contextual_alt_text


class BilingualBlock(blocks.StructBlock):
    """
    A struct block with English fields; `upgrade` turns a value stored before the block had
    them into the block's form, so old revisions still open.
    """

    def upgrade(self, value):
        return value

    def _filled(self, value):
        value = self.upgrade(value)
        if isinstance(value, blocks.StructValue):
            return value
        return {**{n: b.get_default() for n, b in self.child_blocks.items()}, **value}

    def to_python(self, value):
        return super().to_python(self.upgrade(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([self.upgrade(v) for v in values])

    def normalize(self, value):
        if isinstance(value, self.meta.value_class):
            return value
        value = self.upgrade(value)
        return self._to_struct_value(
            {
                name: (block.normalize(value[name]) if name in value else block.get_default())
                for name, block in self.child_blocks.items()
            }
        )

    class Meta:
        value_class = BilingualValue


class TextBlock(BilingualBlock):
    text = blocks.RichTextBlock(label=_("Text"))
    text_en = blocks.RichTextBlock(label=_("Text (English)"), required=False)

    def upgrade(self, value):
        # Stored before: the rich text alone (or given so in code, as a RichText).
        if isinstance(value, str | RichText):
            return {"text": value, "text_en": ""}
        return value

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/text.html"


class PictureBlock(BilingualBlock):
    image = ImageBlock(label=_("Image"))
    alt_text_en = blocks.CharBlock(label=_("Alt text (English)"), required=False, max_length=255)

    def upgrade(self, value):
        # Stored before: the image block's own value (image, decorative, alt_text).
        if isinstance(value, dict) and "alt_text_en" not in value and "decorative" in value:
            return {"image": value, "alt_text_en": ""}
        return value

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"
        value_class = PictureValue


class VideoBlock(BilingualBlock):
    """A video from a video site (embed) or an uploaded file (a document), with a caption."""

    embed = EmbedBlock(label=_("Video link"), required=False)
    file = DocumentChooserBlock(label=_("Uploaded video file"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), required=False)
    caption_en = blocks.CharBlock(label=_("Caption (English)"), required=False)

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


class DownloadBlock(BilingualBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False)
    description_en = blocks.CharBlock(label=_("Description (English)"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "courses/blocks/download.html"


class ProcedureStepBlock(BilingualBlock):
    instruction = blocks.RichTextBlock(
        label=_("Instruction"), features=["bold", "italic", "link", "ul", "ol"]
    )
    instruction_en = blocks.RichTextBlock(
        label=_("Instruction (English)"),
        features=["bold", "italic", "link", "ul", "ol"],
        required=False,
    )
    warning = blocks.CharBlock(
        label=_("Safety warning"),
        required=False,
        help_text=_("Shown highlighted, e.g. wear the ESD wrist strap before opening the device."),
    )
    warning_en = blocks.CharBlock(label=_("Safety warning (English)"), required=False)
    image = ImageBlock(label=_("Image"), required=False)


class ProcedureBlock(BilingualBlock):
    """A standard procedure: numbered steps, each with an optional safety warning and image."""

    title = blocks.CharBlock(label=_("Procedure"))
    title_en = blocks.CharBlock(label=_("Procedure (English)"), required=False)
    steps = blocks.ListBlock(ProcedureStepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Procedure")
        template = "courses/blocks/procedure.html"


class PolicyClauseBlock(BilingualBlock):
    """A warranty, pricing or parts rule quoted with its source and the date it took effect."""

    clause = blocks.RichTextBlock(label=_("Clause"), features=["bold", "italic", "ul", "ol"])
    clause_en = blocks.RichTextBlock(
        label=_("Clause (English)"), features=["bold", "italic", "ul", "ol"], required=False
    )
    source = blocks.CharBlock(
        label=_("Source"), help_text=_("e.g. 移动电话机商品修理更换退货责任规定 第八条")
    )
    source_en = blocks.CharBlock(label=_("Source (English)"), required=False)
    effective_date = blocks.DateBlock(label=_("Effective date"))
    note = blocks.CharBlock(label=_("How it applies at the counter"), required=False)
    note_en = blocks.CharBlock(label=_("How it applies at the counter (English)"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Policy clause")
        template = "courses/blocks/policy_clause.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = TextBlock()
    image = PictureBlock()
    video = VideoBlock()
    download = DownloadBlock()
    procedure = ProcedureBlock()
    policy_clause = PolicyClauseBlock()


# The English fields of each block type, as (English field, the field of the English block
# stored before that it is read from); "image" is the image's alt text.
_ENGLISH_FIELDS = {
    "video": [("caption_en", "caption")],
    "download": [("description_en", "description")],
    "procedure": [("title_en", "title")],
    "policy_clause": [("clause_en", "clause"), ("source_en", "source"), ("note_en", "note")],
}
_STEP_FIELDS = [("instruction_en", "instruction"), ("warning_en", "warning")]


def _block_merge(kind, value, english):
    if kind == "text":
        return {"text": value, "text_en": english}
    if kind == "image":
        return {"image": value, "alt_text_en": english.get("alt_text", "")}
    merged = {**value, **{ours: english.get(theirs, "") for ours, theirs in _ENGLISH_FIELDS[kind]}}
    if kind == "procedure":
        steps, english_steps = value.get("steps", []), english.get("steps", [])
        if len(steps) != len(english_steps):
            return None
        merged["steps"] = [
            {
                **step,
                "value": {
                    **step["value"],
                    **{o: en["value"].get(t, "") for o, t in _STEP_FIELDS},
                },
            }
            for step, en in zip(steps, english_steps, strict=True)
        ]
    return merged


def stream_merge(body: list[dict], body_en: list[dict]) -> list[dict] | None:
    """
    Return the stored (JSON) stream of `body` with the English of `body_en` put into each
    block, pairing the blocks one by one; None when the two do not pair (other lengths, other
    block types or steps), so nothing is guessed.
    """
    if not body_en:
        return list(body)
    if len(body) != len(body_en):
        return None
    merged = []
    for block, english in zip(body, body_en, strict=True):
        if block["type"] != english["type"]:
            return None
        value = _block_merge(block["type"], block["value"], english["value"])
        if value is None:
            return None
        merged.append({**block, "value": value})
    return merged


def _block_split(kind, value):
    if kind == "text":
        if not isinstance(value, dict):
            return value, value
        return value.get("text", ""), value.get("text_en") or value.get("text", "")
    if kind == "image":
        if "decorative" in value:
            return value, value
        image = value.get("image") or {}
        english = {**image, "alt_text": value.get("alt_text_en") or image.get("alt_text", "")}
        return image, english
    pairs = _ENGLISH_FIELDS[kind]
    chinese = {k: v for k, v in value.items() if k not in {ours for ours, _ in pairs}}
    english = {
        **chinese,
        **{theirs: value.get(ours) or value.get(theirs, "") for ours, theirs in pairs},
    }
    if kind == "procedure":
        names = {ours for ours, _ in _STEP_FIELDS}
        steps = value.get("steps", [])
        chinese["steps"] = [
            {**s, "value": {k: v for k, v in s["value"].items() if k not in names}} for s in steps
        ]
        english["steps"] = [
            {
                **s,
                "value": {
                    **{k: v for k, v in s["value"].items() if k not in names},
                    **{t: s["value"].get(o) or s["value"].get(t, "") for o, t in _STEP_FIELDS},
                },
            }
            for s in steps
        ]
    return chinese, english


def stream_split(body: list[dict]) -> tuple[list[dict], list[dict]]:
    """
    Return the stored streams (`body`, `body_en`) of before blocks held their English: the
    Chinese, and the English with the Chinese where a block had none. The reverse of
    `stream_merge`, for reversing migration 0007.
    """
    chinese, english = [], []
    for block in body:
        zh, en = _block_split(block["type"], block["value"])
        chinese.append({**block, "value": zh})
        english.append({**block, "value": en})
    return chinese, english

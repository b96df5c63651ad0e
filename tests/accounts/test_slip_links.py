import subprocess

import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import PasswordSetup

from .conftest import newcomer_make

pytestmark = pytest.mark.django_db


def _qr_links(pdf: bytes, tmp_path) -> list[str]:
    import zxingcpp

    path = tmp_path / "slips.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "90", "-png", str(path), str(tmp_path / "page")], check=True)
    return [
        code.text
        for png in sorted(tmp_path.glob("page*.png"))
        for code in zxingcpp.read_barcodes(Image.open(png))
    ]


@pytest.mark.pdftools
def test_the_qr_codes_of_an_outlets_slips_open_each_persons_activation(
    client, manager, partner_outlet, tmp_path, settings
):
    settings.CERTIFICATE_CJK_FONT = ""
    people = [
        newcomer_make(partner_outlet, employee_number=f"HN{index:04d}", user__first_name=name)
        for index, name in enumerate(["王芳", "欧阳明月", "李娜", "张伟", "司马相如"])
    ]
    client.force_login(manager.user)
    pdf = client.post(reverse("accounts:outlet_slips", args=[partner_outlet.code])).content
    client.logout()

    links = _qr_links(pdf, tmp_path)

    assert len(links) == len(people)
    opened = set()
    for link in links:
        assert link.startswith(settings.PUBLIC_BASE_URL)
        page = client.get(link[len(settings.PUBLIC_BASE_URL) :])
        assert page.status_code == 200
        opened |= {p.name for p in people if p.name in page.content.decode()}
    assert opened == {p.name for p in people}
    assert PasswordSetup.objects.usable().count() == len(people)

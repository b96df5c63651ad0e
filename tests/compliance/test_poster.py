import subprocess

import pytest
from PIL import Image

from compliance.views import public as views_public
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch, settings):
    monkeypatch.setattr(views_public, "_today", lambda: TODAY)
    settings.OUTLET_STATUS_BASE_URL = "https://service.example.com/"
    settings.CERTIFICATE_CJK_FONT = ""


@pytest.fixture
def network(known_network):
    outlet = known_network["outlets"]["C"]
    outlet.name, outlet.name_en = "北京朝阳直营服务中心", "Beijing Chaoyang Service Centre"
    outlet.save()
    known_network["areas"]["repair"].name_en = "Repair"
    known_network["areas"]["repair"].save()
    return known_network


@pytest.fixture
def manager_client(client, network):
    manager = StaffFactory(role="outlet_manager", outlet=network["outlets"]["C"])
    client.force_login(manager.user)
    return client


def _poster(client, code="C"):
    return client.get(f"/compliance/outlets/{code}/poster.pdf")


@pytest.mark.pdftools
def test_poster_names_the_outlet_and_its_certified_areas(manager_client, tmp_path):
    response = _poster(manager_client)
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)

    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "北京朝阳直营服务中心" in text
    assert "Beijing Chaoyang Service Centre" in text
    assert "前台受理" in text
    assert "维修服务" in text
    assert "Repair" in text
    assert "授权服务网点认证公示" in text
    assert "Certified service outlet" in text
    assert "扫码查验本网点的认证状态" in text
    assert "Scan to check this outlet's certification" in text
    assert "https://service.example.com/outlets/C/" in text
    assert "Pages:           1" in info.stdout
    assert "595.276 x 841.89 pts (A4)" in info.stdout


@pytest.mark.pdftools
def test_poster_leaves_out_areas_the_outlet_is_not_certified_for(client, network, tmp_path):
    auditor = StaffFactory(role="auditor", outlet=None)
    client.force_login(auditor.user)
    path = tmp_path / "poster.pdf"
    path.write_bytes(_poster(client, "A").content)

    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout

    assert "维修服务" not in text
    assert "本网点暂未获得任何服务项目认证" in text
    # Nothing on it claims a certification the outlet does not hold.
    assert "授权服务网点认证公示" not in text
    assert "Certified service outlet" not in text
    assert "服务网点认证状态公示" in text


@pytest.mark.pdftools
def test_poster_qr_code_decodes_to_the_public_page(manager_client, tmp_path):
    import zxingcpp

    path = tmp_path / "poster.pdf"
    path.write_bytes(_poster(manager_client).content)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")

    codes = zxingcpp.read_barcodes(Image.open(png))

    assert [code.text for code in codes] == ["https://service.example.com/outlets/C/"]


def test_poster_of_an_outlet_outside_the_scope_is_404(manager_client):
    assert _poster(manager_client, "A").status_code == 404
    assert _poster(manager_client, "NOPE").status_code == 404


def test_poster_needs_sign_in(client, network):
    response = _poster(client)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("colleagues", [0, 15])
def test_poster_takes_a_fixed_number_of_queries(
    manager_client, network, colleagues, django_assert_num_queries
):
    for role in ["technician", "front_desk", "senior_technician"] * (colleagues // 3):
        StaffFactory(role=role, outlet=network["outlets"]["C"])
    with django_assert_num_queries(10):
        assert _poster(manager_client).status_code == 200

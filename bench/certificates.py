"""
The certificate benchmark: certificates rendered per second, beside an empty reportlab page (the
floor) and the same certificate through WeasyPrint (the HTML-to-PDF route most Django projects
take), single process and one process per core.

    make bench
    .venv/bin/python -m bench.certificates       # BENCH_CERTIFICATES=400 for a longer run

WeasyPrint is not a project dependency: `pip install weasyprint` (it needs Pango:
`apt-get install libpango-1.0-0 libpangoft2-1.0-0`) to have it measured.
"""

import base64
import datetime
import hashlib
import html
import io
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

COUNT = int(os.environ.get("BENCH_CERTIFICATES", "200"))
WEASYPRINT_COUNT = int(os.environ.get("BENCH_WEASYPRINT_CERTIFICATES", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Aims from the certificates issue.
AIM_FLOOR_RATIO = 25
AIM_WEASYPRINT_RATIO = 60


def _setup() -> None:
    # Only the settings are read (CERTIFICATE_CJK_FONT): no database, no app registry.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


def _certificate(i: int):
    from certificates.pdf import CertificateData

    return CertificateData(
        serial=f"SNA-2025-{i:06d}",
        holder="罗娜",
        employee_number=f"E{100000 + i}",
        outlet="长沙五一大道授权服务中心",
        partner_company="湖南星联电子服务有限公司",
        track="手机维修工程师",
        track_en="Mobile Repair Technician",
        issued_on=datetime.date(2025, 3, 1),
        expires_on=datetime.date(2027, 3, 1),
        status="valid",
        course_lines=["柜台三包政策 r12", "主板维修基础 r4", "屏幕与电池更换 r7", "客户沟通 r3"],
    )


def _token(i: int) -> str:
    # As long as a real token: a short payload and a 64-byte Ed25519 signature, base64url.
    signature = base64.urlsafe_b64encode(hashlib.sha512(str(i).encode()).digest())
    return f"eyJ2IjoxLCJzIjoiU05BLTIwMjUt{i:06d}In0." + signature.rstrip(b"=").decode()


def _url(i: int) -> str:
    return f"https://academy.example.com/verify/K7Q2M{i:05d}/?t={_token(i)}"


def _render(i: int) -> bytes:
    from certificates.pdf import certificate_pdf

    return certificate_pdf(_certificate(i), qr_text=_url(i), token=_token(i))


def _empty_page(_: int) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=landscape(A4))
    c.showPage()
    c.save()
    return buffer.getvalue()


WEASYPRINT_HTML = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 10mm; }}
body {{ font-family: "WenQuanYi Micro Hei", sans-serif; color: #21293a; margin: 0; }}
.frame {{ border: 3px solid #b8944c; padding: 3mm; height: 180mm; }}
.inner {{ border: 1px solid #b8944c; height: 100%; position: relative; text-align: center; }}
h1 {{ color: #8c1c21; font-size: 30pt; font-weight: normal; margin: 14mm 0 0; }}
.en {{ font-family: Helvetica, sans-serif; font-size: 9pt; color: #616b78; }}
.holder {{ font-size: 36pt; margin: 8mm auto 0; width: 120mm; border-bottom: 1px solid #b8944c; }}
.track {{ color: #8c1c21; font-size: 20pt; margin-top: 6mm; }}
table {{ position: absolute; left: 15mm; bottom: 25mm; font-size: 10pt; text-align: left; }}
td.l {{ color: #616b78; font-size: 8pt; padding-right: 8mm; }}
.courses {{ position: absolute; left: 119mm; bottom: 40mm; font-size: 8pt; text-align: left; }}
.seal {{ position: absolute; right: 56mm; bottom: 28mm; width: 30mm; height: 30mm;
  border: 1px dashed #616b78; border-radius: 50%; font-size: 8pt; line-height: 30mm; }}
.qr {{ position: absolute; right: 15mm; bottom: 25mm; width: 38mm; }}
.qr img {{ width: 38mm; height: 38mm; }}
.foot {{ position: absolute; left: 15mm; right: 15mm; bottom: 6mm; font-size: 8pt;
  display: flex; justify-content: space-between; }}
</style></head><body><div class="frame"><div class="inner">
<h1>培训合格证书</h1><div class="en">Certificate of Qualification</div>
<div style="margin-top:5mm">兹证明</div><div class="en">This is to certify that</div>
<div class="holder">{holder}</div>
<div class="en">员工编号 Employee No. {employee_number}</div>
<div style="margin-top:6mm">已完成下列认证的全部课程，通过认证考试和实操考核</div>
<div class="en">has completed every course, passed the examination and the practical assessment of
</div><div class="track">{track}</div><div>{track_en}</div>
<table>
<tr><td class="l">服务网点 Outlet</td><td>{outlet}</td></tr>
<tr><td class="l">合作公司 Partner company</td><td>{partner_company}</td></tr>
<tr><td class="l">发证日期 Issued on</td><td>{issued}</td></tr>
<tr><td class="l">有效期至 Valid until</td><td>{expires}</td></tr>
<tr><td class="l">证书状态 Status</td><td>有效 Valid</td></tr>
</table>
<div class="courses"><div class="en">所学课程（版本） Courses (revision)</div>{courses}</div>
<div class="seal">盖章处 / Seal</div>
<div class="qr"><img src="{qr}"><div>扫码查验</div><div class="en">Scan to verify</div></div>
<div class="foot"><span>证书编号 Certificate No. {serial}</span>
<span>查验网址 Verify at: {verify}</span></div>
</div></div></body></html>"""


def _render_weasyprint(i: int) -> bytes:
    import segno
    import weasyprint

    data = _certificate(i)
    url = _url(i)
    page = WEASYPRINT_HTML.format(
        holder=html.escape(data.holder),
        employee_number=html.escape(data.employee_number),
        track=html.escape(data.track),
        track_en=html.escape(data.track_en),
        outlet=html.escape(data.outlet),
        partner_company=html.escape(data.partner_company),
        issued=f"{data.issued_on:%Y年%-m月%-d日}  {data.issued_on:%-d %B %Y}",
        expires=f"{data.expires_on:%Y年%-m月%-d日}  {data.expires_on:%-d %B %Y}",
        courses="".join(f"<div>{html.escape(line)}</div>" for line in data.course_lines),
        qr=segno.make(url, error="m", micro=False).svg_data_uri(border=0),
        serial=html.escape(data.serial),
        verify=html.escape(url.split("?", 1)[0]),
    )
    return weasyprint.HTML(string=page).write_pdf()


def _worker_init() -> None:
    _setup()
    from core.pdf import cjk_font_name

    # The CJK font is parsed once per worker, before the clock starts.
    cjk_font_name()


def _batch(args) -> int:
    kind, start, count = args
    fn = {"certificate": _render, "empty": _empty_page}[kind]
    for i in range(start, start + count):
        fn(i)
    return count


def _per_second(*fns, count: int) -> list[tuple[float, float]]:
    """
    Return (per second, CPU milliseconds each) of every function. Rounds alternate, so that a
    busy machine slows them alike; the CPU time of this process is what a shared machine's other
    load disturbs least, so the ratios are printed from it as well.
    """
    samples = [[] for _ in fns]
    cpu = [[] for _ in fns]
    for _ in range(ROUNDS):
        for fn, fn_samples, fn_cpu in zip(fns, samples, cpu, strict=True):
            start, start_cpu = time.perf_counter(), time.process_time()
            for i in range(count):
                fn(i)
            fn_cpu.append((time.process_time() - start_cpu) * 1000 / count)
            fn_samples.append(count / (time.perf_counter() - start))
    return [(statistics.median(s), statistics.median(c)) for s, c in zip(samples, cpu, strict=True)]


def _per_second_per_core(pool, kind: str, count: int, cores: int) -> float:
    pool.map(_batch, [(kind, 0, 2)] * cores)  # warm every worker
    samples = []
    chunks = [(kind, w * count, count) for w in range(cores)]
    for _ in range(ROUNDS):
        start = time.perf_counter()
        total = sum(pool.map(_batch, chunks, chunksize=1))
        samples.append(total / (time.perf_counter() - start))
    return statistics.median(samples)


def _weasyprint_missing() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        return (
            f"WeasyPrint not measured ({exc.__class__.__name__}: {exc}). To compare, install it "
            "for the bench only: apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 && "
            ".venv/bin/pip install weasyprint"
        )
    return None


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def main():
    _setup()
    from core.pdf import cjk_font_name

    started = time.perf_counter()
    font = cjk_font_name()
    font_seconds = time.perf_counter() - started
    _render(0)  # first subset tables and caches, outside the clock
    _empty_page(0)
    size = len(_render(0))

    rows = []
    (certificate, certificate_cpu), (empty, empty_cpu) = _per_second(
        _render, _empty_page, count=COUNT
    )
    rows.append(("certificate (reportlab), 1 process", certificate, certificate_cpu))
    rows.append(("empty reportlab page, 1 process", empty, empty_cpu))

    cores = os.cpu_count() or 1
    with multiprocessing.Pool(cores, initializer=_worker_init) as pool:
        certificate_cores = _per_second_per_core(pool, "certificate", COUNT, cores)
        empty_cores = _per_second_per_core(pool, "empty", COUNT, cores)
    rows.append((f"certificate (reportlab), {cores} processes", certificate_cores, None))
    rows.append((f"empty reportlab page, {cores} processes", empty_cores, None))

    weasyprint = weasyprint_cpu = None
    missing = _weasyprint_missing()
    if missing is None:
        _render_weasyprint(0)  # font discovery and CSS setup outside the clock
        ((weasyprint, weasyprint_cpu),) = _per_second(_render_weasyprint, count=WEASYPRINT_COUNT)
        rows.append(("same certificate through WeasyPrint, 1 process", weasyprint, weasyprint_cpu))

    print(
        f"\nbench certificates: {COUNT} per round ({WEASYPRINT_COUNT} through WeasyPrint), "
        f"median of {ROUNDS}; font {font} loaded in {font_seconds * 1000:.0f} ms once per "
        f"process; a certificate is {size / 1024:.0f} KiB\n"
    )
    print(f"{'operation':<52} {'per second':>11} {'ms each':>9} {'CPU ms':>8}")
    for name, rate, cpu_ms in rows:
        cpu_text = f"{cpu_ms:>8.2f}" if cpu_ms is not None else f"{'':>8}"
        print(f"{name:<52} {rate:>11.1f} {1000 / rate:>9.2f} {cpu_text}")
    print()
    floor_ratio = empty / certificate
    floor_cpu_ratio = certificate_cpu / empty_cpu
    print(
        f"certificate / empty page: {floor_ratio:.1f}x slower "
        f"{_verdict(floor_ratio <= AIM_FLOOR_RATIO)}, {floor_cpu_ratio:.1f}x in CPU time "
        f"{_verdict(floor_cpu_ratio <= AIM_FLOOR_RATIO)} (aim: within {AIM_FLOOR_RATIO}x)"
    )
    if weasyprint is not None:
        ratio = certificate / weasyprint
        cpu_ratio = weasyprint_cpu / certificate_cpu
        print(
            f"WeasyPrint / certificate: {ratio:.0f}x slower "
            f"{_verdict(ratio >= AIM_WEASYPRINT_RATIO)}, {cpu_ratio:.0f}x in CPU time "
            f"{_verdict(cpu_ratio >= AIM_WEASYPRINT_RATIO)} (aim: at least "
            f"{AIM_WEASYPRINT_RATIO}x)"
        )
    else:
        print(missing)


if __name__ == "__main__":
    main()

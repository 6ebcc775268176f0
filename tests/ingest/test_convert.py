"""Old office formats through LibreOffice headless: a .doc made from a .docx in the test, and the
error that names what to install when LibreOffice is missing."""
import os
import shutil
import subprocess

import pytest

from ingest import IngestError, parse_file
from ingest.convert import soffice


def _need_soffice():
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: `make test` installs libreoffice-writer-nogui libreoffice-calc-nogui")
        pytest.skip("LibreOffice not installed (apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui)")


def _to(src, fmt, out_dir):
    profile = out_dir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out_dir), str(src)], check=True, capture_output=True, timeout=180)
    return out_dir / (src.stem + "." + fmt.split(":")[0])


def test_doc_made_by_libreoffice_reads_like_the_docx(tmp_path):
    _need_soffice()
    import docx

    d = docx.Document()
    d.add_paragraph("某区绿化行动方案")
    d.add_paragraph("一、重点任务")
    d.add_paragraph("（一）建设口袋公园。2025年底前新建口袋公园20个。")
    d.add_paragraph("牵头单位：区园林绿化局")
    t = d.add_table(rows=2, cols=3)
    for cell, v in zip(t.rows[0].cells, ["任务", "牵头单位", "完成时间"]):
        cell.text = v
    for cell, v in zip(t.rows[1].cells, ["建设绿道30公里", "区交通委", "2025年6月"]):
        cell.text = v
    d.add_paragraph("二、保障措施")
    src = tmp_path / "方案.docx"
    d.save(src)
    doc_file = _to(src, "doc:MS Word 97", tmp_path / "out")
    assert doc_file.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"          # an OLE2 .doc
    doc = parse_file(doc_file)
    assert doc.meta.extra.get("converted_from") == "doc"
    assert {"一、重点任务", "二、保障措施"} <= {s.title for s in doc.sections}
    leads = {t.name: t.lead for t in doc.tasks}
    assert leads.get("建设口袋公园") == ["区园林绿化局"] and leads.get("建设绿道30公里") == ["区交通委"]


def test_xls_made_by_libreoffice(tmp_path):
    _need_soffice()
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["重点任务", "牵头单位", "完成时间"])
    wb.active.append(["开展全民植树", "区园林绿化局", "2024年4月"])
    src = tmp_path / "分工.xlsx"
    wb.save(src)
    xls = _to(src, "xls", tmp_path / "out")
    (task,) = parse_file(xls).tasks
    assert task.lead == ["区园林绿化局"] and task.deadline.due == "2024-04"


def test_broken_doc_gets_a_reason(tmp_path):
    _need_soffice()
    p = tmp_path / "坏文件.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00garbage" * 50)
    with pytest.raises(IngestError) as e:
        parse_file(p)
    assert "坏文件.doc" in str(e.value)


def test_without_libreoffice_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    for name, package in (("a.doc", "libreoffice-writer-nogui"), ("a.wps", "libreoffice-writer-nogui"),
                          ("a.et", "libreoffice-calc-nogui"), ("a.xls", "libreoffice-calc-nogui")):
        p = tmp_path / name
        p.write_bytes(b"x" * 10)
        with pytest.raises(IngestError) as e:
            parse_file(p)
        assert name in str(e.value) and f"apt-get install -y {package}" in str(e.value) and "另存为" in str(e.value)

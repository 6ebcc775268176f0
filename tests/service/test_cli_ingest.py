"""`policykb ingest` of a folder: every file it leaves out is listed with its reason and counted in
the summary; a scanned PDF's OCR is reported page by page."""
import subprocess
import sys

from tests.conftest import ROOT
from tests.ingest.test_ocr import LINES, _scan, _text_pdf


def test_folder_ingest_lists_skipped_files_and_ocr_pages(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "某区行动计划.txt").write_text("某区绿色出行行动方案\n一、总体目标\n到2025年底，全区绿色出行比例达到75%以上。\n",
                                       encoding="utf-8")
    (src / ".~lock.某区行动计划.txt#").write_text("x", encoding="utf-8")
    (src / "README.md").write_text("这个文件夹放政策文件。", encoding="utf-8")
    (src / "汇报.pptx").write_bytes(b"PK\x03\x04")
    text_pdf = tmp_path / "text.pdf"
    _text_pdf(text_pdf, [LINES[:4]])
    _scan(text_pdf, src / "盖章件.pdf", scale=1.5)
    r = subprocess.run([sys.executable, "-m", "service.cli", "ingest", "--kb", str(tmp_path / "kb"), "--no-embed",
                        str(src)], capture_output=True, text=True, cwd=ROOT, timeout=600,
                       env={"HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    err = r.stderr
    assert "[跳过]" in err and ".~lock.某区行动计划.txt#  隐藏文件" in err
    assert "README.md  文件夹说明" in err
    assert "汇报.pptx  不支持的文件格式 .pptx（演示文稿暂不支持，请另存为 PDF 后再上传）" in err
    assert "盖章件.pdf：正在识别文字（OCR），第 1/1 页" in err
    assert "共 5 个文件：导入 2，未变化 0，失败 0，跳过 3" in r.stdout

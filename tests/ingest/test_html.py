"""Saved web pages: the article body (not navigation, scripts, footers or a hidden second copy),
meta tags as metadata, <table> as rows with headers."""
import pytest

from ingest import IngestError, parse_file

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>关于印发某区绿色出行行动方案的通知_某区人民政府门户网站</title>
<meta name="SiteName" content="某区人民政府门户网站">
<meta name="ArticleTitle" content="某区人民政府办公室关于印发某区绿色出行行动方案的通知">
<meta name="PubDate" content="2024-03-15 10:20">
<meta name="ContentSource" content="某区人民政府办公室">
<script>var nav = "首页 政务公开 办事服务";</script><style>.x{color:red}</style>
</head><body>
<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/bsfw">办事服务</a> <a href="/hdjl">互动交流</a></div>
<div class="nav-menu"><ul><li><a href="/1">机构设置</a></li><li><a href="/2">领导信息</a></li><li><a href="/3">政策解读</a></li></ul></div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
  <div class="article">
    <p style="text-align:center">某政办发〔2024〕5号</p>
    <p><strong>某区人民政府办公室关于印发某区绿色出行行动方案的通知</strong></p>
    <p>各街道办事处，区政府各委、办、局：</p>
    <p>　　现将《某区绿色出行行动方案》印发给你们，请认真贯彻落实。绿色出行比例到2025年底达到75%以上。</p>
    <p>一、重点任务</p>
    <p>（一）完善慢行系统。新建自行车道30公里，改造人行道15公里，打造连续舒适的慢行网络。</p>
    <table border="1">
      <tr><th rowspan="2">序号</th><th rowspan="2">任务</th><th colspan="2">责任单位</th><th rowspan="2">完成时间</th></tr>
      <tr><th>牵头单位</th><th>配合单位</th></tr>
      <tr><td>1</td><td>新建自行车道30公里</td><td>区交通委</td><td>区城管委</td><td>2025年12月</td></tr>
      <tr><td>2</td><td>改造人行道15公里</td><td>区城管委</td><td>各街道</td><td>2024年10月</td></tr>
    </table>
    <p>二、保障措施</p>
    <p>（一）加强组织领导。各部门要高度重视，明确责任分工，确保各项任务按期完成。</p>
    <p style="text-align:right">某区人民政府办公室</p><p style="text-align:right">2024年3月14日</p>
  </div>
  <div class="bbnr" style="display:none">某区人民政府办公室关于印发某区绿色出行行动方案的通知 现将《某区绿色出行行动方案》印发给你们，请认真贯彻落实。绿色出行比例到2025年底达到75%以上。</div>
</div>
<div class="footer">主办：某区人民政府办公室 版权所有 备案号：京ICP备00000000号 网站标识码1100000000</div>
</body></html>"""


def test_body_meta_and_table(tmp_path):
    p = tmp_path / "通知.html"
    p.write_text(PAGE, encoding="utf-8")
    doc = parse_file(p)
    assert doc.meta.title == "某区人民政府办公室关于印发某区绿色出行行动方案的通知"
    assert doc.meta.date == "2024-03-15" and doc.meta.issuer == "某区人民政府办公室"
    assert doc.meta.doc_number == "某政办发〔2024〕5号"
    for junk in ("政务公开", "机构设置", "版权所有", "当前位置", "var nav", "color:red"):
        assert junk not in doc.text, junk
    assert doc.text.count("绿色出行比例到2025年底达到75%以上") == 1        # the hidden copy is not read
    (table,) = doc.tables
    assert table.headers == ["序号", "任务", "责任单位·牵头单位", "责任单位·配合单位", "完成时间"]
    assert table.rows[1].cells["任务"] == "改造人行道15公里" and table.rows[1].cells["完成时间"] == "2024年10月"
    titles = [s.title for s in doc.sections]
    assert "一、重点任务" in titles and "二、保障措施" in titles
    tasks = {t.name: t for t in doc.tasks}
    assert tasks["新建自行车道30公里"].lead == ["区交通委"] and tasks["新建自行车道30公里"].co == ["区城管委"]
    assert tasks["改造人行道15公里"].deadline.due == "2024-10"


@pytest.mark.parametrize("body", ["", "<div class='nav'><a href='/'>首页</a><a href='/x'>政务公开</a></div>",
                                  "<p>404 Not Found</p>"])
def test_a_page_without_body_is_refused(tmp_path, body):
    p = tmp_path / "empty.html"
    p.write_text(f"<html><head><title>x</title></head><body>{body}</body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="没有找到正文"):
        parse_file(p)


def test_gbk_page_with_charset_meta(tmp_path):
    p = tmp_path / "gbk.htm"
    p.write_bytes(PAGE.replace('charset="utf-8"', 'charset="gbk"').encode("gbk"))
    assert "完善慢行系统" in parse_file(p).text


@pytest.mark.parametrize("mark", ["（转载）", "(转载)", "【转载】", "（转发）"])
def test_a_repost_mark_is_not_part_of_the_title(tmp_path, mark):
    p = tmp_path / "page.html"
    p.write_text(PAGE.replace('content="某区人民政府办公室关于印发', f'content="{mark}某区人民政府办公室关于印发'),
                 encoding="utf-8")
    assert parse_file(p).meta.title == "某区人民政府办公室关于印发某区绿色出行行动方案的通知"

"""The QA workspace's XLSX writer, read back by a real reader (openpyxl), and the CSV
export's guard against formula injection."""

from __future__ import annotations

import csv
import io

import openpyxl

from callsight.services.workspace import to_csv
from callsight.xlsx import write_xlsx


def test_xlsx_round_trips_through_openpyxl() -> None:
    headers = [f"列{i}" for i in range(30)]  # past column Z: AA, AB, ...
    rows = [["城东支行", 12, 0.5, None, "含<&>符号\x01与控制字符", "=HYPERLINK(\"x\")", *range(24)]]
    ws = openpyxl.load_workbook(io.BytesIO(write_xlsx(headers, rows, "质检队列"))).active
    assert ws.title == "质检队列" and ws.freeze_panes == "A2" and ws["A1"].font.b
    got = [[c.value for c in line] for line in ws.iter_rows()]
    assert got[0] == headers
    assert got[1][:6] == ["城东支行", 12, 0.5, None, "含<&>符号与控制字符", "=HYPERLINK(\"x\")"]
    assert ws["A2"].data_type == "s" and ws["F2"].data_type == "s"  # text stays text, never a formula
    assert ws.cell(row=2, column=30).value == 23 and ws.cell(row=2, column=30).column_letter == "AD"


def test_csv_has_a_bom_and_defuses_formulas() -> None:
    data = to_csv(["通话", "备注"], [["c1", "=1+1"], ["c2", "@SUM(A1)"], ["c3", None], ["c4", -3.5]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["通话", "备注"], ["c1", "'=1+1"], ["c2", "'@SUM(A1)"], ["c3", ""], ["c4", "-3.5"]]

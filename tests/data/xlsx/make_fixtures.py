#!/usr/bin/python3
"""Makes the XLSX fixtures of tests/io/xlsx_test.cpp and prints how openpyxl reads them.

Run with Debian's python (openpyxl 3.0): /usr/bin/python3 tests/data/xlsx/make_fixtures.py
openpyxl writes inline strings only, so the workbooks that need shared strings, rich text,
phonetic hints, namespace prefixes or broken parts are written part by part with zipfile, the
way Excel lays them out. Every workbook is re-zipped with fixed timestamps, so runs are
byte-identical.
"""
import datetime
import io
import os
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def write_zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def rezip(path):
    with zipfile.ZipFile(path) as archive:
        parts = [(name, archive.read(name)) for name in archive.namelist()]
    write_zip(path, parts)


def save_openpyxl(workbook, name):
    fixed = datetime.datetime(2024, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    path = os.path.join(HERE, name)
    workbook.save(path)
    rezip(path)


def handmade(name, sheets, shared_strings=None, styles=None, prefix=""):
    """sheets: [(sheet name, sheetData inner XML)]; shared_strings: [<si> inner XML]."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(len(sheets)))
    content_types = (
        decl + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>' +
        ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
         'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
         if shared_strings is not None else "") + "</Types>")
    root_rels = (decl + f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
                 f'Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheet_list = "".join(f'<{p}sheet name="{sheet_name}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                         for i, (sheet_name, _) in enumerate(sheets))
    workbook = (decl + f'<{p}workbook {xmlns} xmlns:r="{REL_NS}"><{p}workbookPr/>'
                f"<{p}sheets>{sheet_list}</{p}sheets></{p}workbook>")
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{DOC_REL}/worksheet" '
                   f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
    n = len(sheets)
    rels += f'<Relationship Id="rId{n + 1}" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    if shared_strings is not None:
        rels += (f'<Relationship Id="rId{n + 2}" Type="{DOC_REL}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    workbook_rels = decl + f'<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>'
    if styles is None:
        styles = f'<{p}cellXfs count="1"><{p}xf numFmtId="0"/></{p}cellXfs>'
    styles_xml = decl + f"<{p}styleSheet {xmlns}>{styles}</{p}styleSheet>"
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels),
             ("xl/styles.xml", styles_xml)]
    if shared_strings is not None:
        items = "".join(f"<{p}si>{si}</{p}si>" for si in shared_strings)
        parts.append(("xl/sharedStrings.xml",
                      decl + f'<{p}sst {xmlns} count="{len(shared_strings)}" '
                      f'uniqueCount="{len(shared_strings)}">{items}</{p}sst>'))
    for i, (_, rows) in enumerate(sheets):
        parts.append((f"xl/worksheets/sheet{i + 1}.xml",
                      decl + f"<{p}worksheet {xmlns} xmlns:r=\"{REL_NS}\">"
                      f"<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>"))
    write_zip(os.path.join(HERE, name), parts)


def make_cells():
    """Shared strings, rich text, booleans, errors, missing cells, blank rows, number formats."""
    strings = ["<t>Name</t>", "<t>Qty</t>", "<t>Paid</t>", "<t>When</t>", "<t>Note</t>",
               "<t>Ann</t>",
               '<r><t xml:space="preserve">Hello </t></r><r><rPr><b/></rPr><t>world</t></r>',
               "<t>Bob</t>", "<t>Cléa 中文</t>", "<t>Line1_x000D_\nLine2</t>"]
    styles = (
        '<numFmts count="4"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/>'
        '<numFmt numFmtId="165" formatCode="0.00&quot; days&quot;"/>'
        '<numFmt numFmtId="166" formatCode="[Red]0.00;[Blue]-0.00"/>'
        '<numFmt numFmtId="167" formatCode="[h]:mm:ss"/></numFmts>'
        '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
        '<cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="22"/>'
        '<xf numFmtId="4"/><xf numFmtId="167"/></cellXfs>')
    rows = (
        '<row r="1"/>'
        '<row r="2"><c r="A2" s="1"/><c r="C2" t="s"/></row>'
        '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c>'
        '<c r="C3" t="s"><v>2</v></c><c r="D3" t="s"><v>3</v></c><c r="E3" t="s"><v>4</v></c>'
        '</row>'
        '<row r="4"><c r="A4" t="s"><v>5</v></c><c r="B4"><v>3</v></c>'
        '<c r="C4" t="b"><v>1</v></c><c r="D4" s="1"><v>44562.5</v></c>'
        '<c r="E4" t="s"><v>6</v></c></row>'
        '<row r="5"><c r="A5" t="s"><v>7</v></c><c r="C5" t="b"><v>0</v></c></row>'
        '<row r="6"></row>'
        '<row r="7"><c r="A7" t="s"><v>8</v></c><c r="B7" t="e"><v>#DIV/0!</v></c>'
        '<c r="D7" s="2"><v>45000.99999</v></c><c r="E7" t="s"><v>9</v></c></row>'
        '<row r="8"><c t="str"><f>A4&amp;"!"</f><v>Ann!</v></c><c s="3"><v>2.5</v></c>'
        '<c s="4"><v>-1.25</v></c><c s="5"><v>61</v></c>'
        '<c t="inlineStr"><is><t xml:space="preserve">  padded </t></is></c></row>'
        '<row r="9"><c r="A9" t="s"><v>7</v></c>'
        '<c r="G9" t="inlineStr"><is><t>extra</t></is></c></row>'
        '<row r="10"><c r="A10" t="s"><v>5</v></c><c r="B10" s="6"><v>1E-3</v></c>'
        '<c r="D10" s="7"><v>1.5</v></c><c r="E10" t="d"><v>2024-02-29T13:45:30.250</v></c>'
        '</row>'
        '<row r="11"><c r="C11" t="b"><v>1</v></c></row>')
    handmade("cells.xlsx", [("Data", rows)], strings, styles)


def make_rich_text():
    """A namespace prefix (x:) on every element, rich runs in shared and inline strings, and
    phonetic hints (rPh) that are not part of the text."""
    strings = ["<x:t>Customer</x:t>", "<x:t>Comment</x:t>",
               "<x:r><x:rPr><x:b/></x:rPr><x:t xml:space=\"preserve\">Very </x:t></x:r>"
               "<x:r><x:t xml:space=\"preserve\">good </x:t></x:r><x:r><x:t>service</x:t></x:r>"
               "<x:rPh sb=\"0\" eb=\"1\"><x:t>ベリー</x:t></x:rPh>",
               "<x:t>東京</x:t><x:rPh sb=\"0\" eb=\"2\"><x:t>トウキョウ</x:t></x:rPh>",
               "<x:t>A &amp; B &lt;ok&gt;</x:t>"]
    rows = ('<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v>'
            '</x:c></x:row>'
            '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:r><x:t>Al</x:t></x:r><x:r><x:rPr>'
            '<x:i/></x:rPr><x:t>ice</x:t></x:r></x:is></x:c><x:c r="B2" t="s"><x:v>2</x:v>'
            '</x:c></x:row>'
            '<x:row r="3"><x:c r="A3" t="s"><x:v>3</x:v></x:c><x:c r="B3" t="s"><x:v>4</x:v>'
            '</x:c></x:row>')
    handmade("rich_text.xlsx", [("Comments", rows)], strings, prefix="x")


def make_dates(name, epoch, values):
    workbook = openpyxl.Workbook()
    if epoch is not None:
        workbook.epoch = epoch
    sheet = workbook.active
    sheet.title = "Dates"
    sheet.append(["Event", "When", "Day", "Amount"])
    for event, when, day, amount in values:
        sheet.append([event, when, day, amount])
    for row in sheet.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd hh:mm:ss"
        row[2].number_format = "mm-dd-yy"  # built-in format 14
        row[3].number_format = "0.00"
    save_openpyxl(workbook, name)


def make_two_sheets():
    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Metric", "Value"])
    summary.append(["customers", 2])
    orders = workbook.create_sheet("Orders")
    orders.append(["InvoiceNo", "Qty"])
    orders.append(["536365", 6])
    orders.append(["C536379", -1])
    orders.append(["536366", 8])
    workbook.create_sheet("Empty")
    save_openpyxl(workbook, "two_sheets.xlsx")


def make_broken():
    with open(os.path.join(HERE, "not_a_workbook.xlsx"), "w") as out:
        out.write("InvoiceNo,StockCode,Quantity\n536365,85123A,6\n")
    with open(os.path.join(HERE, "ole_header.xlsx"), "wb") as out:
        out.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    with open(os.path.join(HERE, "dates_1900.xlsx"), "rb") as src:
        data = src.read()
    with open(os.path.join(HERE, "truncated.xlsx"), "wb") as out:
        out.write(data[:len(data) // 2])
    write_zip(os.path.join(HERE, "no_workbook.xlsx"), [("hello.txt", "not a workbook\n")])
    # Row 2 closes </row> before </c>: expat reports a mismatched tag on line 4 of the sheet.
    rows = ('\n<row r="1"><c r="A1" t="inlineStr"><is><t>Header</t></is></c></row>\n'
            '<row r="2"><c r="A2"><v>1</v></row>\n')
    handmade("corrupt_xml.xlsx", [("Sheet1", rows)])


def show(name, **options):
    path = os.path.join(HERE, name)
    workbook = openpyxl.load_workbook(path, **options)
    print(f"== {name}: epoch {workbook.epoch.date()}, sheets {workbook.sheetnames}")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            cells = [(cell.coordinate, cell.value) for cell in row if cell.value is not None]
            if cells:
                print(f"  {sheet.title} {cells}")


def main():
    make_cells()
    make_rich_text()
    make_dates("dates_1900.xlsx", None, [
        ("first day", datetime.datetime(1900, 1, 1), datetime.date(1900, 2, 28), 1.5),
        ("after the fake leap day", datetime.datetime(1900, 3, 1, 6, 0), datetime.date(1900, 3, 1), 2),
        ("UCI first order", datetime.datetime(2010, 12, 1, 8, 26), datetime.date(2010, 12, 1), 15.3),
        ("UCI last order", datetime.datetime(2011, 12, 9, 12, 50, 42), datetime.date(2011, 12, 9), 0.5),
        ("rounds up", datetime.datetime(2020, 5, 17, 8, 30, 59, 600000), datetime.date(2024, 2, 29), 7),
    ])
    make_dates("dates_1904.xlsx", CALENDAR_MAC_1904, [
        ("epoch", datetime.datetime(1904, 1, 1), datetime.date(1904, 1, 2), 1),
        ("UCI last order", datetime.datetime(2011, 12, 9, 12, 50, 42), datetime.date(2011, 12, 9), 2),
        ("leap day", datetime.datetime(2024, 2, 29, 23, 59, 59), datetime.date(2024, 2, 29), 3),
        ("rounds up", datetime.datetime(2020, 5, 17, 8, 30, 59, 600000), datetime.date(2000, 1, 1), 4),
    ])
    make_two_sheets()
    make_broken()
    for name in ["cells.xlsx", "rich_text.xlsx", "dates_1900.xlsx", "dates_1904.xlsx",
                 "two_sheets.xlsx"]:
        show(name)


if __name__ == "__main__":
    main()

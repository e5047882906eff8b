#!/usr/bin/python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/), byte-identical on
every run: small valid inputs of each kind, plus the bad inputs that fuzzing and fault injection
found (CR-only line endings, 1e308 amounts, impossible XLSX cell references, very wide headers).

Run with Debian's python: /usr/bin/python3 tests/fuzz/make_corpus.py
The share/ TOML files are copied in as well, so the corpus follows them when they change.
"""
import io
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)


# ---------------------------------------------------------------------------------------------
# CSV

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
LINES = [
    "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom",
    "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom",
    "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850,United Kingdom",
    "C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom",
    "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047,United Kingdom",
]


def csv_seeds():
    body = [HEADER] + LINES
    write("csv", "lf.csv", "\n".join(body) + "\n")
    write("csv", "crlf.csv", "\r\n".join(body) + "\r\n")
    write("csv", "cr_only.csv", "\r".join(body) + "\r")
    write("csv", "cr_only_no_final_break.csv", "\r".join(body))
    write("csv", "cr_only_quoted_crlf.csv",
          'id;note;amount\r1;plain;3\r2;"two\r\nlines";4\r\r3;"a\rb";5\r4;short\r5;"lf\nin";6')
    write("csv", "mixed_breaks.csv", "a,b\r1,2\n3,4\r\n5,6\r7,8")
    write("csv", "semicolon_decimal_comma.csv",
          "Kunde;Datum;Menge;Preis\n1;01.02.2023;2;3,50\n2;02.02.2023;1;10,00\n")
    write("csv", "tabs.tsv", "user_id\torder_date\tamount\n7\t2023-01-05\t12.5\n8\t2023-01-06\t3\n")
    write("csv", "pipes.csv", "a|b|c\n1|2|3\n4|5|6\n")
    write("csv", "quoted_multiline.csv",
          'id,note\n1,"line one\nline two"\n2,"say ""hi"""\n3,"open\n')
    write("csv", "unterminated_quote.csv", 'a,b\n1,2\n3,"never closed\n4,5\n')
    write("csv", "ragged.csv", "a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12")
    write("csv", "huge_numbers.csv",
          "CustomerID,InvoiceDate,Quantity,UnitPrice\n1,2023-01-01,1,1e308\n2,2023-01-02,1,1e308\n"
          "3,2023-01-03,1e200,1e200\n4,2023-01-04,2,1.7976931348623157e308\n"
          "5,2023-01-05,1,1e400\n6,2023-01-06,1,-1e308\n7,2023-01-07,1,nan\n8,2023-01-08,1,inf\n")
    write("csv", "wide_header.csv",
          ",".join(f"c{i}" for i in range(3000)) + "\n" + ",".join("1" for _ in range(3000)) + "\n")
    write("csv", "only_header.csv", "a,b,c\n")
    write("csv", "blank_lines.csv", "\r\n\na,b\r\n\r\n  x , y\t\r\n\n\"q\",\"\r\"\r\nlast,row")
    write("csv", "empty.csv", "")
    write("csv", "only_blank.csv", "\n\n\r\n")
    write("csv", "headerless_numbers.csv", "1,2,3\n4,5,6\n")
    write("csv", "duplicate_names.csv", "a,a,,a\n1,2,3,4\n")
    write("csv", "utf8_bom.csv", b"\xef\xbb\xbfid,name\n1,x\n")
    write("csv", "invalid_utf8.csv", b"id,name\n1,ok\n2,bad \xff\xfe here\n3,\xc3\xa9t\xc3\xa9\n")
    write("csv", "latin1.csv", "Kunde,Stadt\n1,M\u00fcnchen\n2,K\u00f6ln\n".encode("latin-1"))
    write("csv", "gbk.csv", "用户ID,商品名称,金额\n1,小米电视,3999\n2,华为手机,4999\n".encode("gbk"))
    write("csv", "gbk_cr_only.csv", "用户ID,商品名称,金额\r1,小米电视,3999\r2,华为手机,4999\r".encode("gbk"))
    write("csv", "utf16le_bom.csv", "\ufeffid,name\n1,x\n2,y\n".encode("utf-16-le"))
    write("csv", "dates_ambiguous.csv", "id,date,amount\n1,3/4/11,5\n2,5/6/11,6\n")
    write("csv", "dates_iso_time.csv",
          "user_id,timestamp,amount\n1,2023-01-01 10:00:00,1\n2,2023-01-01T11:30,2\n")
    write("csv", "excel_serials.csv", "id,InvoiceDate,amount\n1,40513.35,5\n2,40514,6\n")
    write("csv", "chinese_profile.csv",
          "用户ID,最近登录天数,消费频率,总消费金额,地区\nU1,3,5,1200.5,北京\nU2,40,1,80,上海\n")
    write("csv", "nul_bytes.csv", b"a,b\n1,\x002\n")
    write("csv", "quote_in_unquoted.csv", 'a,b\nab"c,d\n"x"y,z\n')
    write("csv", "long_field.csv", "a,b\n" + "x" * 5000 + ",1\n")
    # Whitespace-aligned text (sniffed as the last resort) and the headerless layouts.
    write("csv", "cdnow_aligned.txt",
          " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n"
          " 00018 0002 19970112  1   14.96\r\n   \r\n 00021 0003 19971301  x\r\n")
    write("csv", "aligned_header.txt",
          'id   name      amount\n1  "Ann Lee"  2.5  \n2\tBob\t\t10\n3 Cy 4 extra\n"5 ""x"" y"  z 6')
    write("csv", "taobao_headerless.csv",
          "1,2268318,2520377,pv,1511544070\n1,2333346,2520771,buy,1511561733\n")


# ---------------------------------------------------------------------------------------------
# XLSX

def zip_bytes(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def workbook(sheet_data, shared_strings=None, styles=None, date1904=False):
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
         'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
         'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
         '"application/xml"/></Types>'),
        ("_rels/.rels",
         f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml",
         f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{pr}<sheets><sheet name="Data" '
         'sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels",
         f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/worksheet" '
         f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL_NS}/sharedStrings" '
         f'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{REL_NS}/styles" '
         'Target="styles.xml"/></Relationships>'),
        ("xl/worksheets/sheet1.xml",
         f'<worksheet xmlns="{MAIN_NS}"><sheetData>{sheet_data}</sheetData></worksheet>'),
    ]
    if shared_strings is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in shared_strings)
        parts.append(("xl/sharedStrings.xml", f'<sst xmlns="{MAIN_NS}">{items}</sst>'))
    if styles is not None:
        parts.append(("xl/styles.xml", styles))
    return zip_bytes(parts)


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number(ref, value, style=None):
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def row(r, cells):
    attr = f' r="{r}"' if r is not None else ""
    return f"<row{attr}>{''.join(cells)}</row>"


DATE_STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="dd/mm/yyyy hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
    '<xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')


def xlsx_seeds():
    header = row(1, [inline("A1", "CustomerID"), inline("B1", "InvoiceDate"),
                     inline("C1", "Quantity"), inline("D1", "UnitPrice")])
    good = header + row(2, [number("A2", 17850), number("B2", 40513.35, 2), number("C2", 6),
                            number("D2", 2.55)])
    write("xlsx", "inline_strings.xlsx", workbook(good, styles=DATE_STYLES))
    write("xlsx", "date1904.xlsx", workbook(good, styles=DATE_STYLES, date1904=True))
    shared = row(1, ['<c r="A1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>1</v></c>']) + row(
        2, ['<c r="A2" t="s"><v>2</v></c>', number("B2", 3.5)])
    write("xlsx", "shared_strings.xlsx", workbook(shared, shared_strings=["id", "amount", "U1"]))
    write("xlsx", "shared_string_out_of_range.xlsx",
          workbook(row(1, ['<c r="A1" t="s"><v>0</v></c>']) + row(2, ['<c r="A2" t="s"><v>9</v></c>']),
                   shared_strings=["id"]))
    write("xlsx", "no_references.xlsx",
          workbook("<row>" + '<c t="inlineStr"><is><t>a</t></is></c>' * 2 + "</row><row>" +
                   "<c><v>1</v></c><c><v>2</v></c></row>"))
    write("xlsx", "cells_beyond_header.xlsx",
          workbook(row(1, [inline("A1", "id"), inline("B1", "name")]) +
                   row(2, [inline("A2", "1"), inline("C2", "x"), inline("E2", "y")])))
    # The bad references fuzzing found: past XFD, row 0, past 1048576, overflowing 32 bits.
    base = row(1, [inline("A1", "id"), inline("B1", "name")])
    for name, cells, r in [
        ("ref_zzzz.xlsx", [inline("A2", "1"), inline("ZZZZ2", "x")], 2),
        ("ref_long_letters.xlsx", [inline("A2", "1"), inline("Z" * 300 + "2", "x")], 2),
        ("ref_row_zero.xlsx", [inline("A0", "1")], 2),
        ("ref_past_xfd.xlsx", [inline("XFE2", "1")], 2),
        ("ref_past_last_row.xlsx", [inline("A1048577", "1")], 2),
        ("row_4294967297.xlsx", [inline("A2", "1")], 4294967297),
        ("row_zero.xlsx", [inline("A2", "1")], 0),
        ("row_negative.xlsx", [inline("A2", "1")], -5),
        ("ref_lowercase.xlsx", [inline("a2", "1"), inline("b2", "x")], 2),
        ("ref_dollar.xlsx", [inline("$A$2", "1")], 2),
    ]:
        write("xlsx", name, workbook(base + row(r, cells) + row(3, [inline("A3", "ok")])))
    write("xlsx", "header_bad_ref.xlsx", workbook(row(1, [inline("A1", "id"), inline("AAAA1", "x")])))
    write("xlsx", "empty_sheet.xlsx", workbook(""))
    write("xlsx", "booleans_errors.xlsx",
          workbook(row(1, [inline("A1", "a"), inline("B1", "b")]) +
                   row(2, ['<c r="A2" t="b"><v>1</v></c>', '<c r="B2" t="e"><v>#DIV/0!</v></c>'])))
    write("xlsx", "iso_date_cell.xlsx",
          workbook(row(1, [inline("A1", "d")]) + row(2, ['<c r="A2" t="d"><v>2024-02-29T13:45:30</v></c>'])))
    write("xlsx", "huge_numbers.xlsx",
          workbook(header + row(2, [number("A2", 1), number("B2", 44000), number("C2", 1),
                                    number("D2", "1e308")]) +
                   row(3, [number("A3", 2), number("B3", 44001), number("C3", 1),
                           number("D3", "1e308")])))
    write("xlsx", "not_a_zip.xlsx", "id,amount\n1,2\n")
    write("xlsx", "empty_zip.xlsx", zip_bytes([]))
    write("xlsx", "escapes.xlsx",
          workbook(row(1, [inline("A1", "n")]) + row(2, [inline("A2", "Line1_x000D__x000A_Line2")])))
    write("xlsx", "truncated.xlsx", workbook(good)[:300])


# ---------------------------------------------------------------------------------------------
# Dates: first line a column name (or a format), then samples

def dates_seeds():
    seeds = {
        "iso.txt": "InvoiceDate\n2010-12-01 08:26:00\n2011-01-05 17:02:10\n",
        "iso_t.txt": "timestamp\n2023-01-01T10:00\n2023-01-02T11:30:59\n",
        "us_short_year.txt": "InvoiceDate\n12/1/10 8:26\n1/15/11 17:02\n",
        "us_long_year.txt": "InvoiceDate\n12/1/2010 8:26\n12/13/2010 17:02\n",
        "day_first.txt": "date\n13-12-2010 08:26\n01-02-2011 10:00\n",
        "dotted.txt": "Datum\n13.12.2010\n01.02.2011\n",
        "ambiguous.txt": "date\n3/4/11\n5/6/11\n",
        "twelve_hour.txt": "date\n12/1/2010 8:26 AM\n12/1/2010 12:05 PM\n",
        "month_names.txt": "date\n01-Dec-2010\nDec 5, 2010\n",
        "chinese.txt": "下单时间\n2023年1月5日\n2023年12月31日\n",
        "excel_serial.txt": "InvoiceDate\n40513.35\n40514\n",
        "unix_seconds.txt": "created\n1700000000\n1600000000\n",
        "impossible.txt": "date\n2/30/2011\n2/28/2011\n2/27/2011\n2/26/2011\n2/25/2011\n2/24/2011\n"
                          "2/23/2011\n2/22/2011\n2/21/2011\n2/20/2011\n2/19/2011\n",
        "leap.txt": "date\n2024-02-29\n1900-02-29\n2000-02-29\n",
        "far_years.txt": "date\n0001-01-01\n9999-12-31 23:59:59\n",
        "fraction_seconds.txt": "date\n2023-01-01 10:00:00.250\n",
        "pattern_as_name.txt": "%Y-%m-%d %H:%M:%S\n2023-01-01 10:00:00\n",
        "pattern_12h.txt": "%m/%d/%Y %I:%M %p\n12/01/2010 08:26 PM\n",
        "pattern_bad.txt": "%Q-%m\n2023-01\n",
        "pattern_percent.txt": "%Y%%%m\n2023%01\n",
        "empty.txt": "",
        "blank_samples.txt": "date\n\n   \n",
        "mixed.txt": "date\n2023-01-01\n01/02/2023\nnot a date\n",
        "huge_serial.txt": "InvoiceDate\n1e308\n2958466\n",
        "negative_unix.txt": "created\n-1\n-99999999999\n",
        "spaces.txt": "date\n  2023-01-01   10:00  \n",
        "compact.txt": "date\n19970101\n19971231\n19960229\n",
        "compact_bad.txt": "date\n19971301\n1997011\n19970101123456\n",
        "pattern_compact.txt": "%Y%m%d%H%M%S\n19970101123456\n",
    }
    for name, text in seeds.items():
        write("dates", name, text)


# ---------------------------------------------------------------------------------------------
# TOML

def toml_seeds():
    for source in ["share/categories.toml", "share/playbook.toml", "share/profile_playbook.toml",
                   "share/scoring/example.toml", "share/tiers/five.toml", "share/tiers/cn8.toml",
                   "share/tiers/rfm11.toml"]:
        with open(os.path.join(ROOT, source), "rb") as f:
            write("toml", source.replace("/", "_"), f.read())
    seeds = {
        "rules_means.toml": 'name = "vip"\noutput_order = ["Whale", "Rest"]\n[[segment]]\n'
                            'name = "Whale"\nmonetary = { min = 1000 }\n'
                            'frequency = { above = 2, mean = "above_mean" }\n'
                            '[[segment]]\nname = "Rest"\nfallback = true\n',
        "rules_ranges.toml": '[[segment]]\nname = "Top"\nr = [4, 5]\nf = 5\nm = [1, 5]\n',
        "rules_bad_range.toml": '[[segment]]\nname = "A"\nr = [4, 3]\n',
        "rules_duplicate.toml": '[[segment]]\nname = "A"\n[[segment]]\nname = "A"\n',
        "rules_two_fallbacks.toml": '[[segment]]\nname = "A"\nfallback = true\n[[segment]]\n'
                                    'name = "B"\nfallback = true\n',
        "scoring_bins.toml": "[recency]\nbins = [30, 90]\nscores = [3, 2, 1]\n"
                             "[monetary]\nbins = [100.5, 1e308]\n",
        "scoring_unsorted.toml": "[frequency]\nbins = [5, 1]\n",
        "scoring_nan.toml": "[monetary]\nbins = [nan, inf]\n",
        "categories_small.toml": '[[category]]\nname = "Mugs"\nkeywords = ["MUG", "CUP"]\n',
        "categories_empty_keyword.toml": '[[category]]\nname = "X"\nkeywords = [""]\n',
        "playbook_segment.toml": '[[play]]\nsegment = "Champions"\npositioning = "x"\n'
                                 'actions = ["a", "b"]\n',
        "invalid_syntax.toml": "[[segment]\nname = \"A\"",
        "deep_nesting.toml": "a = " + "[" * 200 + "]" * 200 + "\n",
        "unicode_keys.toml": '"名字" = "值"\n[[segment]]\nname = "大客户"\nname_zh = "大客户"\n',
        "empty.toml": "",
        "huge_integers.toml": "[recency]\nbins = [9223372036854775807]\nscores = [1, 2]\n",
        "dates_and_tables.toml": "d = 1979-05-27T07:32:00Z\n[a.b.c]\nx = { y = [1, 2.5, 'z'] }\n",
    }
    for name, text in seeds.items():
        write("toml", name, text)


def main():
    for target in ["csv", "xlsx", "dates", "toml"]:
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
    csv_seeds()
    xlsx_seeds()
    dates_seeds()
    toml_seeds()
    for target in sorted(os.listdir(CORPUS)):
        print(f"{target}: {len(os.listdir(os.path.join(CORPUS, target)))} files")


if __name__ == "__main__":
    main()

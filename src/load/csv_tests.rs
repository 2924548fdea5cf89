//! Tests of the CSV reader: typed fields, located errors, quoting and encodings.

use super::*;

/// `text` opened as a table of the columns `id` and `note`.
fn open_id_note(text: &str) -> Table<'_> {
    Table::open(
        "f.csv",
        text.as_bytes(),
        &[req("id"), req("note")],
        &mut Diagnostics::new(),
    )
    .unwrap()
}

#[test]
fn positions_count_header_as_line_one_and_columns_in_characters() {
    let text = "a,b,c\n1,2,3\n\"x,y\",é,bad\n";
    let mut diags = Diagnostics::new();
    let t = Table::open(
        "f.csv",
        text.as_bytes(),
        &[req("a"), req("b"), req("c")],
        &mut diags,
    )
    .unwrap();
    let mut seen = Vec::new();
    t.for_each_row(&mut diags, |row, _| seen.push((row.line, row.pos(2))));
    // line 3: `"x,y",é,` is 8 characters, so column c starts at character 9.
    assert_eq!(seen[1], (3, Pos { line: 3, column: 9 }));
    assert_eq!(seen[0], (2, Pos { line: 2, column: 5 }));
}

#[test]
fn split_tables_keep_lines_offsets_and_quoted_newlines() {
    // 30,000 rows of ~40 bytes (over 1 MiB), one with a quoted newline in the middle:
    // it is an error, and splitting must neither cut inside it nor move it.
    let mut text = String::from("id,note\n");
    for i in 0..30_000 {
        if i == 15_000 {
            text.push_str("q,\"two\nlines, quoted\"\n");
        } else {
            text.push_str(&format!("r{i},some ordinary note text here\n"));
        }
    }
    let rows = |tables: Vec<Table>| {
        let mut d = Diagnostics::new();
        let mut out = Vec::new();
        for t in tables {
            t.for_each_row(&mut d, |row, _| {
                out.push((row.line, row.offset(), row.text(0), row.text(1)))
            });
        }
        let d: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        (out, d)
    };
    let open = || open_id_note(&text);
    let whole = rows(vec![open()]);
    let parts = open().split(3);
    assert_eq!(parts.len(), 3);
    assert_eq!(rows(parts), whole);
    // Row 15,000 is on line 15,002 (header + 15,000 rows before it); its second field
    // opens at column 3 and spans two lines, so it is skipped; the next row, r15001,
    // starts on line 15,004.
    let (whole, diags) = whole;
    assert_eq!(
        diags,
        ["f.csv:15002:3: error: the quote opened here (`\"two`) runs over 2 lines; a field may not contain a line break: close the quote or remove it"]
    );
    assert_eq!(whole.len(), 29_999);
    assert_eq!(
        (whole[15_000].0, whole[15_000].2.as_str()),
        (15_004, "r15001")
    );
}

#[test]
fn a_stray_quote_is_reported_where_it_opened_and_quoted_briefly() {
    // The quote on line 3 runs to the quote on line 5: rows 3-5 are one record.
    let long = "x".repeat(70);
    let text = format!("id,title\n1,ok\n2,\"{long} a\n3,b\n4,c\"\n5,fine\n");
    let mut diags = Diagnostics::new();
    let t = Table::open(
        "f.csv",
        text.as_bytes(),
        &[req("id"), req("title")],
        &mut diags,
    )
    .unwrap();
    let mut ids = Vec::new();
    t.for_each_row(&mut diags, |row, _| ids.push(row.text(0)));
    assert_eq!(ids, ["1", "5"]);
    let d: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    // The shown text is the first 60 characters of the field, then an ellipsis.
    assert_eq!(
        d,
        [format!("f.csv:3:3: error: the quote opened here (`\"{}…`) runs over 3 lines; a field may not contain a line break: close the quote or remove it", "x".repeat(60))]
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_its_first_bad_byte() {
    // Line 2 is `1,caf` then byte 0xE9 (Latin-1 é): the 6th character of line 2.
    let mut diags = Diagnostics::new();
    assert!(Table::open("f.csv", b"id,t\n1,caf\xe9\n", &[req("id")], &mut diags).is_none());
    let d: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        ["f.csv:2:6: error: this file is not valid UTF-8 (first bad byte here); save it with UTF-8 encoding"]
    );
}

#[test]
fn missing_required_column_is_reported_on_line_one() {
    let mut diags = Diagnostics::new();
    assert!(Table::open(
        "f.csv",
        b"a,c\n",
        &[req("a"), req("b"), opt("z")],
        &mut diags
    )
    .is_none());
    let d = diags.sorted();
    assert_eq!(
        d[0].to_string(),
        "f.csv:1:1: error: missing column `b`; the header must include a,b (found: a,c)"
    );
}

#[test]
fn column_order_is_free_and_extra_columns_ignored() {
    let mut diags = Diagnostics::new();
    let t = Table::open(
        "f.csv",
        b"extra,b,a\nz,2,1\n",
        &[req("a"), req("b")],
        &mut diags,
    )
    .unwrap();
    let mut got = Vec::new();
    t.for_each_row(&mut diags, |row, _| got.push((row.text(0), row.text(1))));
    assert_eq!(got, vec![("1".to_string(), "2".to_string())]);
}

/// `column` gives the file's column of each wanted column (header `b,a`: wanted `a` is
/// file column 1, wanted `b` column 0) and `None` for an absent optional one, which is
/// what `has` tells; `ids::Ids` reads repeated ids from that column.
#[test]
fn column_maps_wanted_columns_to_file_columns() {
    let mut diags = Diagnostics::new();
    let t = Table::open(
        "f.csv",
        b"b,a\n1,2\n",
        &[req("a"), req("b"), opt("z")],
        &mut diags,
    )
    .unwrap();
    assert_eq!(
        (t.column(0), t.column(1), t.column(2)),
        (Some(1), Some(0), None)
    );
    assert_eq!((t.has(0), t.has(2)), (true, false));
}

/// Rows read (line, offset, first field), each part's row count, and the diagnostics.
type Read = (Vec<(u32, usize, String)>, Vec<usize>, Vec<String>);

/// The rows of `tables`, each part's row count, and the diagnostics, read in order.
fn read_parts(tables: Vec<Table>) -> Read {
    let mut d = Diagnostics::new();
    let (mut rows, mut counts) = (Vec::new(), Vec::new());
    for t in tables {
        let before = rows.len();
        t.for_each_row(&mut d, |row, _| {
            rows.push((row.line, row.offset(), row.text(0)))
        });
        counts.push(rows.len() - before);
    }
    let d = d.sorted().iter().map(|d| d.to_string()).collect();
    (rows, counts, d)
}

/// `r0000000,` and 22 `x`s and a newline: 32 bytes a row.
fn fixed_rows(range: std::ops::Range<usize>) -> String {
    range
        .map(|i| format!("r{i:07},{}\n", "x".repeat(22)))
        .collect()
}

/// Splitting cuts at the first record end at or after each `len * k / n`, so the parts
/// are about equal. A body of exactly 1 MiB (32,768 rows of 32 bytes after the header)
/// is split (only a smaller one is not): in 4, the targets 262,144 * k are the starts of
/// rows 8,192 * k, and each cut falls after that row: 8,193, 8,192, 8,192 and 8,191 rows.
/// In 2: 16,385 and 16,383. `split(1)`, or a file of 4 rows, is one part.
#[test]
fn split_cuts_about_equal_parts_from_one_mebibyte() {
    let text = format!("id,note\n{}", fixed_rows(0..32_768));
    assert_eq!(text.len() - "id,note\n".len(), 1 << 20);
    let open = open_id_note;
    let (whole, counts, _) = read_parts(vec![open(&text)]);
    assert_eq!(counts, [32_768]);
    let (rows, counts, _) = read_parts(open(&text).split(4));
    assert_eq!(counts, [8_193, 8_192, 8_192, 8_191]);
    assert_eq!(rows, whole);
    let (rows, counts, _) = read_parts(open(&text).split(2));
    assert_eq!(counts, [16_385, 16_383]);
    assert_eq!(rows, whole);
    // What a part's reader sizes its rows by: its own line ends plus one (16,385 + 1 and
    // 16,383 + 1); the whole file's, with the header's, 32,769 + 1.
    let bounds: Vec<usize> = open(&text)
        .split(2)
        .iter()
        .map(Table::rows_at_most)
        .collect();
    assert_eq!(bounds, [16_386, 16_384]);
    assert_eq!(open(&text).rows_at_most(), 32_770);
    assert_eq!(open(&text).split(1).len(), 1);
    assert_eq!(
        open(&format!("id,note\n{}", fixed_rows(0..4)))
            .split(2)
            .len(),
        1
    );
}

/// A cut never falls inside a quoted field, even one holding the target: rows 0-15,999
/// (512,000 bytes), a record `q,"start` whose quoted note runs over 1,000 lines of 32
/// bytes to `end"` (9 + 32,000 + 5 bytes: bytes 512,000 to 544,014 of the body), then
/// rows 16,000-32,767 (536,576 bytes). Split in 2, the target (half of 1,080,590:
/// 540,295) lies inside the quote, so the cut comes after its record: the first part
/// holds the 16,000 rows and the quoted record (reported, not read), the second the
/// other 16,768.
#[test]
fn split_never_cuts_inside_a_quoted_field() {
    let quoted: String = (0..1_000)
        .map(|_| format!("{}\n", "y".repeat(31)))
        .collect();
    let text = format!(
        "id,note\n{}q,\"start\n{quoted}end\"\n{}",
        fixed_rows(0..16_000),
        fixed_rows(16_000..32_768)
    );
    let open = || open_id_note(&text);
    let whole = read_parts(vec![open()]);
    assert_eq!(whole.1, [32_768]);
    // The quote opens on line 16,002 (header + 16,000 rows), at column 3.
    assert_eq!(whole.2.len(), 1);
    assert!(
        whole.2[0].starts_with(
            "f.csv:16002:3: error: the quote opened here (`\"start`) runs over 1002 lines"
        ),
        "{:?}",
        whole.2
    );
    let (rows, counts, diags) = read_parts(open().split(2));
    assert_eq!(counts, [16_000, 16_768]);
    assert_eq!((rows, diags), (whole.0, whole.2));
}

/// Only a blank line is passed over: a row whose first field is empty is a row (its loader
/// reports what is missing), and one with only one field of the header's two is refused
/// (`z`, line 6). A row after blank lines is located on its own line: the csv reader gives
/// it the position where the blank lines began (`,y` on line 5 came as line 3, at the blank
/// line's byte, so its errors pointed at line 3, column 1). Lines end in `\n` or `\r\n`; a
/// line holding only `""` is blank too.
#[test]
fn blank_lines_are_skipped_and_the_rows_after_them_located_on_their_own_lines() {
    for eol in ["\n", "\r\n"] {
        let text = ["a,b", "1,x", "", "", ",y", "z", "\"\"", "2,w", ""].join(eol);
        let mut diags = Diagnostics::new();
        let t = Table::open("f.csv", text.as_bytes(), &[req("a"), req("b")], &mut diags).unwrap();
        let mut rows = Vec::new();
        let refused = t.for_each_row(&mut diags, |row, _| {
            rows.push((row.text(0), row.text(1), row.pos(0)))
        });
        let row =
            |a: &str, b: &str, line: u32| (a.to_string(), b.to_string(), Pos { line, column: 1 });
        assert_eq!(
            rows,
            [row("1", "x", 2), row("", "y", 5), row("2", "w", 8)],
            "{eol:?}"
        );
        assert_eq!(refused, [("z".to_string(), 6)]);
        let m: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(m, ["f.csv:6:1: error: this row has 1 field and the header 2; write every field, empty ones too (`a,,c`)"]);
    }
}

/// Each typed field of a row, good, empty and bad, with the error at the field's column.
/// Row 2: `yes,7,2026-07-01,2026-07-01T10:00:00Z` (b at column 5, c at 7, d at 18);
/// 2026-07-01T10:00:00Z is 20,635 days and 10 hours after 1970-01-01: 1,782,900,000 s.
#[test]
fn typed_fields_read_good_values_and_locate_bad_ones() {
    let text = "a,b,c,d\n\
        yes,7,2026-07-01,2026-07-01T10:00:00Z\n\
        NO,0,,\n\
        1,-1,07/01/2026,2026-07-01 10:00:00\n\
        maybe,x,,later\n\
        ,,,\n";
    let mut diags = Diagnostics::new();
    let t = Table::open(
        "f.csv",
        text.as_bytes(),
        &[req("a"), req("b"), req("c"), req("d")],
        &mut diags,
    )
    .unwrap();
    let mut got = Vec::new();
    t.for_each_row(&mut diags, |row, d| {
        got.push((
            row.opt_bool(0, "a", d),
            row.count(1, "b", d),
            row.opt_date(2, "c", d),
            row.opt_timestamp(3, "d", d),
        ))
    });
    let day = chrono::NaiveDate::from_ymd_opt(2026, 7, 1);
    let ten = 20_635 * 86_400 + 10 * 3_600;
    assert_eq!(ten, 1_782_900_000);
    assert_eq!(
        got,
        [
            (Ok(Some(true)), Some(7), Ok(day), Ok(Some(ten))),
            (Ok(Some(false)), Some(0), Ok(None), Ok(None)),
            (Ok(Some(true)), None, Err(Reported), Err(Reported)),
            (Err(Reported), None, Ok(None), Err(Reported)),
            (Ok(None), None, Ok(None), Ok(None)),
        ]
    );
    let d: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        [
            "f.csv:4:3: error: `b` is negative (-1); counts must be 0 or more",
            "f.csv:4:6: error: `c`: `07/01/2026` is not a date; write YYYY-MM-DD",
            "f.csv:4:17: error: `d`: timestamp `2026-07-01 10:00:00` has no UTC offset; add one, e.g. `2026-07-01 10:00:00Z` or `2026-07-01 10:00:00+02:00`",
            "f.csv:5:1: error: `a`: `maybe` is not a boolean; write true or false",
            "f.csv:5:7: error: `b`: `x` is not a whole number",
            "f.csv:5:10: error: `d`: `later` is not an RFC 3339 timestamp; write e.g. `2026-07-01T10:00:00Z`",
            "f.csv:6:2: error: `b`: `` is not a whole number",
        ]
    );
}

/// A required timestamp that is empty is an error saying so; a good one is read.
#[test]
fn a_required_timestamp_may_not_be_empty() {
    let text = "t\n2026-07-01T10:00:00+02:00\n\n\"\"\n";
    let mut diags = Diagnostics::new();
    let t = Table::open("f.csv", text.as_bytes(), &[req("t")], &mut diags).unwrap();
    let mut got = Vec::new();
    t.for_each_row(&mut diags, |row, d| got.push(row.timestamp(0, "t", d)));
    // 10:00 at +02:00 is 08:00Z: 20,635 days and 8 hours.
    assert_eq!(got, [Some(20_635 * 86_400 + 8 * 3_600)]);
    assert!(diags.is_empty());
    let text = "t,u\n,x\n";
    let t = Table::open("f.csv", text.as_bytes(), &[req("t")], &mut diags).unwrap();
    t.for_each_row(&mut diags, |row, d| got.push(row.timestamp(0, "t", d)));
    assert_eq!(got.len(), 2);
    assert_eq!(got[1], None);
    let d: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        ["f.csv:2:1: error: `t` is empty; give an RFC 3339 timestamp like 2026-07-01T10:00:00Z"]
    );
}

/// A row with fewer or more fields than the header is refused, whatever ends the line: an
/// unquoted comma in a title would cut it short (the extra field was dropped), and a missing
/// field would shift the others into the wrong columns. `z` (line 2) lacks two of three
/// fields: an error at the row. `1,2,3,4` (line 3) has one too many: an error at the extra
/// field (column 7). The rows are refused with their first field and line; `5,6,7` is read.
#[test]
fn a_row_of_another_width_than_the_header_is_refused() {
    for eol in ["\n", "\r\n"] {
        let text = ["a,b,c", "z", "1,2,3,4", "5,6,7", ""].join(eol);
        let mut diags = Diagnostics::new();
        let t = Table::open(
            "f.csv",
            text.as_bytes(),
            &[req("a"), req("b"), req("c")],
            &mut diags,
        )
        .unwrap();
        let mut got = Vec::new();
        let refused = t.for_each_row(&mut diags, |row, _| got.push(row.text(0)));
        assert_eq!(got, ["5"], "{eol:?}");
        assert_eq!(refused, [("z".to_string(), 2), ("1".to_string(), 3)]);
        let m: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            m,
            [
                "f.csv:2:1: error: this row has 1 field and the header 3; write every field, empty ones too (`a,,c`)",
                "f.csv:3:7: error: this row has 4 fields and the header 3; a value that contains a comma must be in double quotes (`\"a, b\"`)",
            ],
            "{eol:?}"
        );
    }
}

"""read_csv: numeric feature and target columns, or a one-hot class column; every error says where."""

import contextlib

import numpy as np
import pytest
from backprop_studio.core.data.csv_import import read_csv
from backprop_studio.core.errors import DataError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def write(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path, targets=("y",), one_hot=None) -> DataError:
    with pytest.raises(DataError) as caught:
        read_csv(path, targets, one_hot)
    return caught.value


def assert_where(error, path, line, column, *words):
    """The error carries file/line/column and the one-line message shows them, then says what is wrong."""
    assert (error.file, error.line, error.column) == (str(path), line, column)
    message = str(error)
    assert message.startswith(str(path))
    if line is not None:
        assert f"line {line}" in message
    if column is not None:
        assert f"column {column}" in message
    for word in words:
        assert word in message


# --- good files ------------------------------------------------------------------------------------


def test_targets_become_y_and_the_rest_x(tmp_path):
    path = write(tmp_path, "a,y,b\n1,10,2\n3.5,-20,4e1\n")
    table = read_csv(path, ["y"], None)
    assert table.feature_names == ("a", "b")
    assert table.target_names == ("y",)
    assert table.x.tolist() == [[1.0, 2.0], [3.5, 40.0]]
    assert table.y.tolist() == [[10.0], [-20.0]]
    assert table.x.dtype == table.y.dtype == np.float64
    assert table.labels is None
    assert table.classes == ()


def test_target_columns_keep_the_order_asked_for(tmp_path):
    path = write(tmp_path, "t1,f,t2\n1,2,3\n")
    table = read_csv(path, ["t2", "t1"], None)
    assert table.target_names == ("t2", "t1")
    assert table.y.tolist() == [[3.0, 1.0]]
    assert table.x.tolist() == [[2.0]]


def test_one_hot_class_column(tmp_path):
    path = write(tmp_path, "length,species,width\n1,setosa,2\n3, virginica ,4\n5,versicolor,6\n7,setosa,8\n")
    table = read_csv(path, (), "species")
    assert table.classes == ("setosa", "versicolor", "virginica")
    assert table.target_names == table.classes
    assert table.labels.tolist() == [0, 2, 1, 0]
    assert table.y.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]
    assert table.feature_names == ("length", "width")
    assert table.x.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]


def test_numeric_class_names_sort_as_numbers(tmp_path):
    path = write(tmp_path, "x,digit\n0,10\n1,9\n2,2\n")
    table = read_csv(path, (), "digit")
    assert table.classes == ("2", "9", "10")
    assert table.labels.tolist() == [2, 1, 0]


def test_bom_crlf_blank_lines_and_spaces_are_tolerated(tmp_path):
    path = write(tmp_path, "\ufeff x , y \r\n1, 2\r\n\r\n3 ,4\r\n\r\n\r\n   \n")
    table = read_csv(path, ["y"], None)
    assert table.feature_names == ("x",)
    assert table.x.tolist() == [[1.0], [3.0]]
    assert table.y.tolist() == [[2.0], [4.0]]


def test_quoted_cells(tmp_path):
    path = write(tmp_path, 'x,"label, long"\n1,"a, b"\n2,"c"\n')
    table = read_csv(path, (), "label, long")
    assert table.classes == ("a, b", "c")


def test_accepts_a_path_string(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n")
    assert read_csv(str(path), ["y"], None).y.tolist() == [[2.0]]


# --- what is refused, and where --------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    assert_where(error_of(path), path, None, None, "file not found")


def test_a_directory_is_unreadable(tmp_path):
    assert_where(error_of(tmp_path), tmp_path, None, None, "cannot read the file")


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("x,y\n1,2\ncaf\xe9,3\n".encode("latin-1"))
    assert_where(error_of(path), path, 3, None, "not UTF-8")


def test_empty_file(tmp_path):
    path = write(tmp_path, "")
    assert_where(error_of(path), path, None, None, "empty")


def test_only_blank_lines_is_empty(tmp_path):
    path = write(tmp_path, "\n\n  \n")
    assert_where(error_of(path), path, None, None, "empty")


def test_header_without_data_rows(tmp_path):
    path = write(tmp_path, "\nx,y\n\n")
    assert_where(error_of(path), path, 2, None, "no data rows")


def test_duplicate_header_name(tmp_path):
    path = write(tmp_path, "x,y,x\n1,2,3\n")
    assert_where(error_of(path), path, 1, "x", "appears twice")


def test_empty_header_name_is_named_by_position(tmp_path):
    path = write(tmp_path, "x,,y\n1,2,3\n")
    assert_where(error_of(path), path, 1, 2, "empty header name")


def test_ragged_row_says_expected_and_found(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,3\n4,5\n")
    assert_where(error_of(path), path, 3, None, "expected 3 cells", "found 2")


def test_ragged_row_line_counts_blank_lines(tmp_path):
    path = write(tmp_path, "a,y\n\n1,2\n\n\n1,2,3\n")
    assert_where(error_of(path), path, 6, None, "expected 2 cells", "found 3")


def test_a_row_is_numbered_by_the_line_it_starts_on(tmp_path):
    path = write(tmp_path, 'a,c\n1,"two\nlines"\n', name="multiline.csv")
    assert_where(error_of(path, ["a"], None), path, 2, "c", "'two\\nlines' is not a number")


def test_lines_inside_quoted_cells_are_counted(tmp_path):
    # The second row spans lines 2–3, so the third starts on line 4.
    path = write(tmp_path, 'a,c\n1,"two\nlines"\nx,b\n')
    assert_where(error_of(path, (), "c"), path, 4, "a", "'x' is not a number")


def test_invalid_csv_names_the_line(tmp_path):
    path = write(tmp_path, 'x,y\n1,2\n3,"' + "a" * 200_000 + "\n")
    assert_where(error_of(path), path, 3, None, "not valid CSV", "field larger than field limit")


def test_non_numeric_cell_is_quoted(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,3\n4,five,6\n")
    assert_where(error_of(path), path, 3, "b", "'five' is not a number")


def test_empty_cell_is_not_a_number(tmp_path):
    path = write(tmp_path, "a,y\n1,\n")
    assert_where(error_of(path), path, 2, "y", "'' is not a number")


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused(tmp_path, cell):
    path = write(tmp_path, f"a,y\n1,2\n{cell},3\n")
    assert_where(error_of(path), path, 3, "a", f"'{cell}' is not a finite number")


def test_missing_target_column_lists_the_header(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n")
    assert_where(error_of(path, ["z"]), path, 1, None, "target column 'z'", "the header has a, b, c")


def test_missing_one_hot_column_lists_the_header(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n")
    error = error_of(path, (), "label")
    assert_where(error, path, 1, None, "one-hot class column 'label'", "the header has a, b")


def test_no_feature_columns_left(tmp_path):
    path = write(tmp_path, "y1,y2\n1,2\n")
    assert_where(error_of(path, ["y1", "y2"]), path, 1, None, "no feature columns")


def test_target_named_twice(tmp_path):
    path = write(tmp_path, "a,y\n1,2\n")
    assert_where(error_of(path, ["y", "y"]), path, None, None, "named twice")


def test_empty_class_name(tmp_path):
    path = write(tmp_path, "a,label\n1,cat\n2, \n")
    assert_where(error_of(path, (), "label"), path, 3, "label", "empty class name")


def test_a_single_class_cannot_be_learned(tmp_path):
    path = write(tmp_path, "a,label\n1,cat\n2,cat\n")
    assert_where(error_of(path, (), "label"), path, None, "label", "only one class ('cat')")


@pytest.mark.parametrize(("targets", "one_hot"), [(("y",), "label"), ((), None), ([], None)])
def test_exactly_one_of_targets_and_one_hot(tmp_path, targets, one_hot):
    path = write(tmp_path, "a,y,label\n1,2,c\n")
    assert_where(error_of(path, targets, one_hot), path, None, None, "exactly one")


# --- nothing but DataError, whatever the file holds ------------------------------------------------

CSV_ALPHABET = st.sampled_from(list('0123456789.,-+e"\n\r \tnaifxy\ufeff\x00é'))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(CSV_ALPHABET, max_size=60), st.text(max_size=60)))
def test_garbage_text_raises_nothing_but_data_error(tmp_path, text):
    path = write(tmp_path, "x,y\n" + text, name="garbage.csv")
    for targets, one_hot in ((["y"], None), ((), "y")):
        try:
            table = read_csv(path, targets, one_hot)
        except DataError:
            continue
        assert table.x.shape[0] == table.y.shape[0] >= 1
        assert np.all(np.isfinite(table.x)) and np.all(np.isfinite(table.y))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=80))
def test_garbage_bytes_raise_nothing_but_data_error(tmp_path, data):
    path = tmp_path / "bytes.csv"
    path.write_bytes(data)
    with contextlib.suppress(DataError):
        read_csv(path, ["y"], None)


def _long_csv(tmp_path, rows: int):
    path = tmp_path / "long.csv"
    path.write_text("a,b,y\n" + "".join(f"{k},{k % 7},{k % 3}\n" for k in range(rows)))
    return path


def test_read_csv_reports_growing_progress_per_chunk_and_reads_every_row(tmp_path):
    shares: list[float] = []
    table = read_csv(_long_csv(tmp_path, 20_000), ("y",), None, progress=shares.append)
    assert table.x.shape == (20_000, 2) and table.x[-1, 0] == 19_999.0
    assert len(shares) == 20_000 // 4096  # one report per full chunk of 4096 rows
    assert shares == sorted(shares) and 0 < shares[0] < shares[-1] <= 1.0


def test_read_csv_stops_with_cancelled_when_asked(tmp_path):
    from backprop_studio.core.errors import Cancelled

    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) == 2  # go on after the first chunk, stop after the second

    with pytest.raises(Cancelled):
        read_csv(_long_csv(tmp_path, 20_000), ("y",), None, should_stop=should_stop)
    assert len(asked) == 2

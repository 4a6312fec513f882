package io.rollcall.csv;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@Tag("unit")
class CsvReaderTests {

	@Test
	void readWhenSimpleFileThenHeaderAndRowsByName() {
		CsvReader reader = CsvReader.of("email,name\nada@example.com,Ada Lovelace\ngrace@example.com,Grace Hopper\n");

		List<CsvRow> rows = rows(reader);

		assertThat(reader.header()).containsExactly("email", "name");
		assertThat(rows).extracting(CsvRow::line).containsExactly(2L, 3L);
		assertThat(rows.get(0).values()).containsExactly(entry("email", "ada@example.com"),
				entry("name", "Ada Lovelace"));
		assertThat(rows.get(1).get("name")).isEqualTo("Grace Hopper");
	}

	@Test
	void readWhenLastLineHasNoLineEndThenLastRowRead() {
		List<CsvRow> rows = rows(CsvReader.of("email\na@example.com\nb@example.com"));

		assertThat(rows).extracting(row -> row.get("email")).containsExactly("a@example.com", "b@example.com");
	}

	@Test
	void headerWhenNamesHaveSpacesThenTrimmed() {
		CsvReader reader = CsvReader.of(" email ,\tFirst Name \nx,y\n");

		assertThat(reader.header()).containsExactly("email", "First Name");
	}

	@Test
	void readWhenValuesHaveSpacesThenTrimmed() {
		CsvRow row = rows(CsvReader.of("a,b,c\n  one ,\" two \" , three\t\n")).get(0);

		assertThat(row.values()).containsExactly(entry("a", "one"), entry("b", "two"), entry("c", "three"));
	}

	@Test
	void readWhenValueEmptyThenAbsent() {
		CsvRow row = rows(CsvReader.of("email,phone,title\nada@example.com,,\"  \"\n")).get(0);

		assertThat(row.values()).containsOnlyKeys("email");
		assertThat(row.get("phone")).isNull();
		assertThat(row.get("title")).isNull();
	}

	@Test
	void getWhenNameCaseDiffersThenValue() {
		CsvRow row = rows(CsvReader.of("E-Mail\nada@example.com\n")).get(0);

		assertThat(row.get("e-mail")).isEqualTo("ada@example.com");
		assertThat(row.get("E-MAIL")).isEqualTo("ada@example.com");
		assertThat(row.get("phone")).isNull();
	}

	@Test
	void readWhenQuotedFieldHasDelimiterThenOneValue() {
		CsvRow row = rows(CsvReader.of("name,city\n\"Hopper, Grace\",Arlington\n")).get(0);

		assertThat(row.values()).containsExactly(entry("name", "Hopper, Grace"), entry("city", "Arlington"));
	}

	@Test
	void readWhenQuotedFieldHasDoubledQuotesThenOneQuoteEach() {
		CsvRow row = rows(CsvReader.of("nickname,empty\n\"The \"\"Queen\"\" of code\",\"\"\n")).get(0);

		assertThat(row.get("nickname")).isEqualTo("The \"Queen\" of code");
		assertThat(row.get("empty")).isNull();
	}

	@Test
	void readWhenQuotedFieldHasNewlineThenOneRow() {
		List<CsvRow> rows = rows(CsvReader.of("name,address\nAda,\"12 Main St\nFlat 3\"\n"));

		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).line()).isEqualTo(2);
		assertThat(rows.get(0).get("address")).isEqualTo("12 Main St\nFlat 3");
	}

	@Test
	void readWhenQuotedFieldHasCrlfThenReadAsNewline() {
		CsvRow row = rows(CsvReader.of("name,address\r\nAda,\"12 Main St\r\nFlat 3\"\r\n")).get(0);

		assertThat(row.get("address")).isEqualTo("12 Main St\nFlat 3");
	}

	@Test
	void readWhenQuotedFieldsSpanLinesThenLaterRowsKeepPhysicalLineNumbers() {
		String text = "name,note\n" + "Ada,\"one\ntwo\nthree\"\n" + "Grace,\"a\r\nb\"\r\n" + "Alan,plain\n";

		List<CsvRow> rows = rows(CsvReader.of(text));

		assertThat(rows).extracting(CsvRow::line).containsExactly(2L, 5L, 7L);
	}

	@Test
	void readWhenByteOrderMarkThenSkipped() {
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		CsvReader reader = new CsvReader(stream(bom, "email,name\nada@example.com,Ada\n"));

		List<CsvRow> rows = rows(reader);

		assertThat(reader.header()).containsExactly("email", "name");
		assertThat(rows.get(0).get("email")).isEqualTo("ada@example.com");
	}

	@Test
	void readWhenCrlfLineEndsThenLinesCountedOnce() {
		List<CsvRow> rows = rows(CsvReader.of("email,name\r\na@example.com,A\r\nb@example.com,B\r\n"));

		assertThat(rows).extracting(CsvRow::line).containsExactly(2L, 3L);
		assertThat(rows.get(1).get("name")).isEqualTo("B");
	}

	@Test
	void readWhenCrLineEndsThenRowsSplit() {
		List<CsvRow> rows = rows(CsvReader.of("email,name\ra@example.com,A\rb@example.com,B"));

		assertThat(rows).extracting(CsvRow::line).containsExactly(2L, 3L);
		assertThat(rows).extracting(row -> row.get("name")).containsExactly("A", "B");
	}

	@Test
	void readWhenSemicolonHeaderThenSemicolonDelimiter() {
		CsvReader reader = CsvReader.of("email;name;city\nada@example.com;Lovelace, Ada;London\n");

		List<CsvRow> rows = rows(reader);

		assertThat(reader.header()).containsExactly("email", "name", "city");
		assertThat(rows.get(0).get("name")).isEqualTo("Lovelace, Ada");
	}

	@Test
	void readWhenTabHeaderThenTabDelimiter() {
		CsvReader reader = CsvReader.of("email\tname\tcity\nada@example.com\tLovelace, Ada\tLondon; UK\n");

		List<CsvRow> rows = rows(reader);

		assertThat(reader.header()).containsExactly("email", "name", "city");
		assertThat(rows.get(0).values()).containsExactly(entry("email", "ada@example.com"),
				entry("name", "Lovelace, Ada"), entry("city", "London; UK"));
	}

	@Test
	void readWhenTabDelimitedRowHasEmptyValuesThenAbsent() {
		CsvRow row = rows(CsvReader.of("a\tb\tc\n\t\tz\n")).get(0);

		assertThat(row.values()).containsExactly(entry("c", "z"));
	}

	@Test
	void readWhenHeaderHasNoDelimiterThenCommaAndOneColumn() {
		CsvReader reader = CsvReader.of("email\nada@example.com\n");

		assertThat(reader.header()).containsExactly("email");
		assertThat(rows(reader).get(0).get("email")).isEqualTo("ada@example.com");
	}

	@Test
	void readWhenDelimitersInsideQuotedHeaderNamesThenNotCounted() {
		CsvReader reader = CsvReader.of("\"last; first\",\"a;b\",c\n\"Lovelace; Ada\",x,y\n");

		assertThat(reader.header()).containsExactly("last; first", "a;b", "c");
		assertThat(rows(reader).get(0).get("last; first")).isEqualTo("Lovelace; Ada");
	}

	@Test
	void readWhenDelimitersTieThenCommaBeforeSemicolon() {
		CsvReader reader = CsvReader.of("a,b;c\n1,2;3\n");

		assertThat(reader.header()).containsExactly("a", "b;c");
	}

	@Test
	void readWhenBlankLinesBetweenRowsThenSkipped() {
		String text = "\n  \nemail,name\n\na@example.com,A\n \t \r\n\r\nb@example.com,B\n\n\n";

		CsvReader reader = CsvReader.of(text);
		List<CsvRow> rows = rows(reader);

		assertThat(reader.header()).containsExactly("email", "name");
		assertThat(rows).extracting(CsvRow::line).containsExactly(5L, 8L);
	}

	@Test
	void readWhenRowOfOnlyDelimitersThenRowWithNoValues() {
		List<CsvRow> rows = rows(CsvReader.of("a,b\n,\n"));

		assertThat(rows).singleElement().satisfies(row -> assertThat(row.values()).isEmpty());
	}

	@Test
	void readWhenSpacesAroundQuotedValueThenAccepted() {
		CsvRow row = rows(CsvReader.of("a,b\n  \"x, y\"  ,\"z\" \n")).get(0);

		assertThat(row.values()).containsExactly(entry("a", "x, y"), entry("b", "z"));
	}

	@Test
	void headerWhenFileEmptyThenException() {
		assertError(CsvReader.of(""), 1, 1)
			.withMessageContaining("The file is empty: the first line must name the columns");
	}

	@Test
	void headerWhenFileOnlyWhitespaceThenException() {
		assertError(CsvReader.of("  \n\t\r\n \n"), 1, 1).withMessageContaining("The file is empty");
	}

	@Test
	void headerWhenFileOnlyByteOrderMarkThenException() {
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

		assertError(new CsvReader(stream(bom, "")), 1, 1).withMessageContaining("The file is empty");
	}

	@Test
	void headerWhenNameEmptyThenExceptionAtItsColumn() {
		assertError(CsvReader.of("email,,name\nx,y,z\n"), 1, 2).withMessageContaining("Column 2 has no name")
			.withMessageContaining("(line 1, column 2)");
	}

	@Test
	void headerWhenTrailingDelimiterThenExceptionAtEmptyColumn() {
		assertError(CsvReader.of("email;name;\n"), 1, 3).withMessageContaining("semicolon");
	}

	@Test
	void headerWhenNamesRepeatIgnoringCaseThenExceptionAtSecond() {
		assertError(CsvReader.of("Email,name,EMAIL\nx,y,z\n"), 1, 3)
			.withMessageContaining("Columns 1 and 3 are both named \"EMAIL\"");
	}

	@Test
	void headerWhenAskedAgainAfterExceptionThenSameException() {
		CsvReader reader = CsvReader.of("email,email\nx,y\n");
		CsvFormatException first = catchThrowableOfType(CsvFormatException.class, reader::header);

		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(reader::iterator).isSameAs(first);
	}

	@Test
	void readWhenQuoteNeverClosedThenExceptionWhereItOpened() {
		CsvReader reader = CsvReader.of("email,name\na@example.com,A\nb@example.com,\"B\nc@example.com,C\n");

		assertError(reader, 3, 2).withMessageContaining("column \"name\"")
			.withMessageContaining("never closed")
			.withMessageContaining("(line 3, column 2)");
	}

	@Test
	void readWhenQuoteNeverClosedInLongFileThenExceptionWhereItOpened() {
		StringBuilder text = new StringBuilder("email,name\nb@example.com,\"B\n");
		for (int i = 0; i < 1_000; i++) {
			text.append("person").append(i).append("@example.com,Person ").append(i).append('\n');
		}

		assertError(CsvReader.of(text.toString()), 2, 2).withMessageContaining("never closed");
	}

	@Test
	void readWhenQuoteInsideUnquotedValueThenException() {
		CsvReader reader = CsvReader.of("email,name,title\na@example.com,A,CEO\nb@example.com,ab\"c,CTO\n");

		assertError(reader, 3, 2).withMessageContaining("quote").withMessageContaining("(line 3, column 2)");
	}

	@Test
	void readWhenTextAfterClosingQuoteThenException() {
		CsvReader reader = CsvReader.of("email,name,title\na@example.com,A,CEO\nb@example.com,\"abc\"x,CTO\n");

		assertError(reader, 3, 2).withMessageContaining("text after its closing quote");
	}

	@Test
	void readWhenTextAfterMultiLineQuotedValueThenExceptionOnItsLine() {
		CsvReader reader = CsvReader.of("name,note,title\nAda,\"one\ntwo\"x,CEO\n");

		assertError(reader, 3, 2);
	}

	@Test
	void readWhenTooFewValuesThenExceptionAtFirstMissingColumn() {
		CsvReader reader = CsvReader.of("email,name,title,phone\na@example.com,A,CEO,1\nb@example.com,B\n");

		assertError(reader, 3, 3).withMessageContaining("This row has 2 values but the first line names 4 columns")
			.withMessageContaining("\"title\" is missing");
	}

	@Test
	void readWhenTooManyValuesThenExceptionAtFirstExtraColumn() {
		CsvReader reader = CsvReader.of("email,name\na@example.com,Lovelace, Ada\n");

		assertError(reader, 2, 3).withMessageContaining("This row has 3 values but the first line names 2 columns");
	}

	@Test
	void readWhenWrongValueCountAfterMultiLineRowThenLineWhereRowStarts() {
		CsvReader reader = CsvReader.of("name,note\nAda,\"one\ntwo\"\nGrace\n");

		assertError(reader, 4, 2);
	}

	@Test
	void readWhenValueAtLengthLimitThenRead() {
		String longest = "x".repeat(CsvReader.MAX_FIELD_LENGTH);

		CsvRow row = rows(CsvReader.of("a,b\n" + longest + ",\"" + longest + "\"\n")).get(0);

		assertThat(row.get("a")).hasSize(10_000);
		assertThat(row.get("b")).hasSize(10_000);
	}

	@Test
	void readWhenValueLongerThanLimitThenException() {
		String tooLong = "x".repeat(10_001);

		assertError(CsvReader.of("a,b\n1,2\n3," + tooLong + "\n"), 3, 2)
			.withMessageContaining("longer than 10,000 characters");
	}

	@Test
	void readWhenQuotedValueLongerThanLimitThenExceptionWhereQuoteOpened() {
		String tooLong = "x\n".repeat(6_000);

		assertError(CsvReader.of("a,b\n1,\"" + tooLong + "\"\n"), 2, 2).withMessageContaining("never closed");
	}

	@Test
	void readWhenRowHasMostValuesAllowedThenRead() {
		String line = String.join(",", Collections.nCopies(500, "v"));
		String header = String.join(",", IntStream.rangeClosed(1, 500).mapToObj(i -> "c" + i).toList());

		CsvReader reader = CsvReader.of(header + "\n" + line + "\n");

		assertThat(reader.header()).hasSize(500);
		assertThat(rows(reader).get(0).values()).hasSize(500);
	}

	@Test
	void readWhenRowHasMoreThan500ValuesThenException() {
		String line = ",".repeat(600);

		assertError(CsvReader.of("a,b\n1,2\n" + line + "\n"), 3, 501).withMessageContaining("more than 500 values");
	}

	@Test
	void readWhenBytesNotUtf8ThenExceptionNamingLine() {
		// "Müller" as Windows-1252, the usual way a file that is not UTF-8 arrives.
		byte[] latin1 = "a@example.com,M\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1);
		InputStream in = stream("email,name\nb@example.com,B\n".getBytes(StandardCharsets.UTF_8), latin1);

		assertError(new CsvReader(in), 3, 2).withMessageContaining("UTF-8");
	}

	@Test
	void readWhenFileEndsInsideMultiByteCharacterThenException() {
		byte[] cut = { 'x', (byte) 0xC3 };
		InputStream in = stream("name\nAda\n".getBytes(StandardCharsets.UTF_8), cut);

		assertError(new CsvReader(in), 3, 1).withMessageContaining("UTF-8");
	}

	@Test
	void headerWhenBytesNotUtf8ThenExceptionNamingLine() {
		byte[] header = "\n\nname,ville\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

		assertError(new CsvReader(new ByteArrayInputStream(header)), 3, 2).withMessageContaining("UTF-8");
	}

	@Test
	void readWhenMultiByteCharactersThenDecoded() {
		CsvRow row = rows(CsvReader.of("name,city\nJos\u00e9 M\u00fcller \uD83D\uDE00,Z\u00fcrich\n")).get(0);

		assertThat(row.get("name")).isEqualTo("Jos\u00e9 M\u00fcller \uD83D\uDE00");
		assertThat(row.get("city")).isEqualTo("Z\u00fcrich");
	}

	@Test
	void readWhen200000RowsFromStreamThenAllReadQuickly() {
		int count = 200_000;
		InputStream in = new GeneratedPeople(count);

		assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
			try (CsvReader reader = new CsvReader(in)) {
				long rows = 0;
				CsvRow last = null;
				for (CsvRow row : reader) {
					rows++;
					last = row;
				}
				assertThat(rows).isEqualTo(count);
				// Every 1,000th person has a two-line address, which moves each later row down a line.
				assertThat(last.line()).isEqualTo(1 + count + (count - 1) / 1_000);
				assertThat(last.get("email")).isEqualTo("person" + count + "@example.com");
			}
		});
	}

	@Test
	void readWhenStreamNeverEndsThenRowsReadAsTheyArrive() {
		InputStream endless = new GeneratedPeople(Long.MAX_VALUE);

		assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
			try (CsvReader reader = new CsvReader(endless)) {
				Iterator<CsvRow> rows = reader.iterator();
				for (int i = 1; i <= 10; i++) {
					assertThat(rows.next().get("email")).isEqualTo("person" + i + "@example.com");
				}
			}
		});
	}

	@Test
	void iteratorWhenCalledTwiceThenIllegalState() {
		CsvReader reader = CsvReader.of("a\n1\n");
		reader.iterator();

		assertThatIllegalStateException().isThrownBy(reader::iterator);
	}

	@Test
	void closeWhenCalledThenStreamClosed() {
		AtomicBoolean closed = new AtomicBoolean();
		InputStream in = new ByteArrayInputStream(new byte[0]) {

			@Override
			public void close() {
				closed.set(true);
			}

		};

		new CsvReader(in).close();

		assertThat(closed).isTrue();
	}

	private static List<CsvRow> rows(CsvReader reader) {
		List<CsvRow> rows = new ArrayList<>();
		reader.forEach(rows::add);
		return rows;
	}

	private static ThrowableAssertAlternative<CsvFormatException> assertError(CsvReader reader,
			long line, int column) {
		return assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> rows(reader))
			.satisfies(ex -> {
				assertThat(ex.line()).as("line").isEqualTo(line);
				assertThat(ex.column()).as("column").isEqualTo(column);
				assertThat(ex.getMessage()).contains("line " + line + ", column " + column);
			});
	}

	private static InputStream stream(byte[] first, String rest) {
		return stream(first, rest.getBytes(StandardCharsets.UTF_8));
	}

	private static InputStream stream(byte[] first, byte[] rest) {
		byte[] all = new byte[first.length + rest.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(rest, 0, all, first.length, rest.length);
		return new ByteArrayInputStream(all);
	}

	/** A people file made row by row as it is read, so the test holds no more of it than the reader does. */
	private static final class GeneratedPeople extends InputStream {

		private final long count;

		private long made;

		private byte[] pending = "email,name,address\r\n".getBytes(StandardCharsets.UTF_8);

		private int position;

		GeneratedPeople(long count) {
			this.count = count;
		}

		@Override
		public int read() {
			if (this.position == this.pending.length && !makeRow()) {
				return -1;
			}
			return this.pending[this.position++] & 0xFF;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (length == 0) {
				return 0;
			}
			if (this.position == this.pending.length && !makeRow()) {
				return -1;
			}
			int n = Math.min(length, this.pending.length - this.position);
			System.arraycopy(this.pending, this.position, buffer, offset, n);
			this.position += n;
			return n;
		}

		private boolean makeRow() {
			if (this.made == this.count) {
				return false;
			}
			this.made++;
			String address = (this.made % 1_000 == 0) ? "\"1 Main St\r\nFlat " + this.made + "\"" : "Main St";
			String row = "person" + this.made + "@example.com,\"Person, " + this.made + "\"," + address + "\r\n";
			this.pending = row.getBytes(StandardCharsets.UTF_8);
			this.position = 0;
			return true;
		}

	}

}

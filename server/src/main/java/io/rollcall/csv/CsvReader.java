package io.rollcall.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads an uploaded CSV file row by row, holding only the row being read, so a file of any length reads in constant
 * memory.
 * <p>
 * What it accepts: UTF-8 text (a byte order mark is skipped), {@code \r\n}, {@code \n} or {@code \r} line ends, and
 * RFC 4180 quoting: a value in double quotes may hold the delimiter, line breaks (read as {@code \n}) and quotes
 * written twice ({@code ""}). The delimiter is the comma, semicolon or tab that occurs most outside quotes in the
 * header (ties go in that order; comma when there is none), since spreadsheets set to many European locales save
 * with semicolons. The first line that is not blank is the header; every other row must have one value per header
 * column.
 * <p>
 * Where it is lenient, because spreadsheets and hand edits produce it: header names and values are trimmed, quoted
 * values included; spaces around a quoted value are ignored; lines holding only spaces and tabs are skipped
 * (in a tab-separated file too, where such a line could only be a row of empty values).
 * <p>
 * Anything else throws a {@link CsvFormatException} naming the line and column; reading stops at the first one.
 * A single value longer than {@value #MAX_FIELD_LENGTH} characters or a row of more than {@value #MAX_FIELDS}
 * values is refused too, so that a garbage upload cannot fill memory.
 */
public final class CsvReader implements AutoCloseable, Iterable<CsvRow> {

	/** The most characters one value may have. */
	public static final int MAX_FIELD_LENGTH = 10_000;

	/** The most values one row, the header included, may have. */
	public static final int MAX_FIELDS = 500;

	private static final int END = -1;

	private static final int NONE = -2;

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	// Plenty for any real header; past it the header is still read in full, just not counted for the delimiter.
	private static final int DELIMITER_SCAN_LIMIT = 64 * 1024;

	private final InputStream in;

	private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPORT)
		.onUnmappableCharacter(CodingErrorAction.REPORT);

	// Both buffers stay in read mode between calls: what is left to decode, what is decoded but not yet read.
	private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();

	private final CharBuffer chars = CharBuffer.allocate(8192).flip();

	private boolean endOfBytes;

	private boolean flushed;

	// The decoder stopped at bytes that are not UTF-8; reported once the characters before them are read, so the
	// error names the line the bad bytes are on.
	private boolean malformed;

	// The start of the file, read ahead to choose the delimiter, and read again by the parser.
	private String replay = "";

	private int replayPosition;

	private int pushedBack = NONE;

	private final StringBuilder value = new StringBuilder();

	private char delimiter;

	private List<String> header;

	// The stream is past the header once it is read, so a header that failed fails again the same way.
	private CsvFormatException headerProblem;

	private long line = 1;

	private long recordLine;

	private int column = 1;

	private boolean blank;

	private boolean iterated;

	/** A reader of the stream, which it closes when closed. Nothing is read until the header or a row is asked for. */
	public CsvReader(InputStream in) {
		Objects.requireNonNull(in, "in cannot be null");
		this.in = in;
	}

	/** A reader of the given text, as if it were an uploaded file. */
	public static CsvReader of(String text) {
		Objects.requireNonNull(text, "text cannot be null");
		return new CsvReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * The column names from the first line, trimmed, in file order.
	 * @throws CsvFormatException when the file is empty, or a name is empty or repeated (ignoring case)
	 */
	public List<String> header() {
		if (this.headerProblem != null) {
			throw this.headerProblem;
		}
		if (this.header == null) {
			try {
				readHeader();
			}
			catch (CsvFormatException ex) {
				this.headerProblem = ex;
				throw ex;
			}
		}
		return this.header;
	}

	/**
	 * The rows after the header, read as they are iterated; the reader reads its stream once, so this may be called
	 * once. {@code hasNext()} and {@code next()} throw {@link CsvFormatException} when the next row is malformed.
	 */
	@Override
	public Iterator<CsvRow> iterator() {
		if (this.iterated) {
			throw new IllegalStateException("A CsvReader reads its stream once; create another to read it again");
		}
		this.iterated = true;
		header();
		return new Iterator<>() {

			private CsvRow next;

			private boolean done;

			@Override
			public boolean hasNext() {
				if (this.next == null && !this.done) {
					this.next = readRow();
					this.done = (this.next == null);
				}
				return this.next != null;
			}

			@Override
			public CsvRow next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				CsvRow row = this.next;
				this.next = null;
				return row;
			}

		};
	}

	@Override
	public void close() {
		try {
			this.in.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void readHeader() {
		this.delimiter = detectDelimiter();
		List<String> names = readRecord();
		if (names == null) {
			throw new CsvFormatException(1, 1, "The file is empty: the first line must name the columns");
		}
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			int column = i + 1;
			if (name.isEmpty()) {
				throw new CsvFormatException(this.recordLine, column, "Column " + column
						+ " has no name in the first line; give every column a name, or remove the empty column,"
						+ " which may be a " + delimiterName() + " too many at the end of the line");
			}
			Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), column);
			if (first != null) {
				throw new CsvFormatException(this.recordLine, column,
						"Columns " + first + " and " + column + " are both named \"" + name
								+ "\", ignoring capitals; give each column its own name");
			}
		}
		this.header = Collections.unmodifiableList(names);
	}

	private CsvRow readRow() {
		List<String> values = readRecord();
		if (values == null) {
			return null;
		}
		if (values.size() != this.header.size()) {
			throw wrongValueCount(values.size());
		}
		Map<String, String> row = new LinkedHashMap<>();
		for (int i = 0; i < values.size(); i++) {
			if (!values.get(i).isEmpty()) {
				row.put(this.header.get(i), values.get(i));
			}
		}
		return new CsvRow(this.recordLine, row);
	}

	private CsvFormatException wrongValueCount(int found) {
		int expected = this.header.size();
		String counts = "This row has " + found + ((found == 1) ? " value" : " values") + " but the first line names "
				+ expected + ((expected == 1) ? " column" : " columns") + "; ";
		if (found < expected) {
			return new CsvFormatException(this.recordLine, found + 1, counts + "the value for column \""
					+ this.header.get(found) + "\" is missing. Add the missing values (empty ones are fine), and put"
					+ " any value that contains a line break in quotes (\"...\")");
		}
		return new CsvFormatException(this.recordLine, expected + 1, counts + "column " + (expected + 1)
				+ " has no name. Remove the extra " + delimiterName() + ", for example one at the end of the line, or"
				+ " put values that contain a " + delimiterName() + " in quotes (\"...\")");
	}

	/** Reads the next row's values, trimmed, or returns null at the end of the file; blank lines are skipped. */
	private List<String> readRecord() {
		for (;;) {
			int c = read();
			if (c == END) {
				return null;
			}
			this.recordLine = this.line;
			this.blank = true;
			List<String> values = new ArrayList<>();
			for (;;) {
				this.column = values.size() + 1;
				if (this.column > MAX_FIELDS) {
					throw new CsvFormatException(this.line, this.column, "This row has more than " + MAX_FIELDS
							+ " values, more than a list of people can need; check that this is the right file");
				}
				c = readValue(c);
				values.add(this.value.toString().strip());
				if (c != this.delimiter) {
					break;
				}
				if (c != '\t') {
					this.blank = false;
				}
				c = read();
			}
			if (c != END) {
				readLineBreak(c);
			}
			this.column = 1;
			if (!this.blank) {
				return values;
			}
		}
	}

	/** Reads one value into {@link #value} and returns the character that ended it: delimiter, line end or END. */
	private int readValue(int c) {
		this.value.setLength(0);
		// Leading spaces are trimmed anyway; not keeping them means a long run of them costs no memory.
		while (isSpace(c)) {
			c = read();
		}
		if (c == '"') {
			this.blank = false;
			return readQuotedValue();
		}
		while (c != END && c != this.delimiter && c != '\r' && c != '\n') {
			if (c == '"') {
				throw new CsvFormatException(this.line, this.column, "The value in " + columnName()
						+ " has a quote (\") inside it; put the whole value in quotes and write the quote twice,"
						+ " like \"say \"\"hi\"\"\", or remove the quote");
			}
			append(c, false, this.line);
			this.blank = false;
			c = read();
		}
		return c;
	}

	private int readQuotedValue() {
		long openedOn = this.line;
		for (;;) {
			int c = read();
			if (c == END) {
				throw new CsvFormatException(openedOn, this.column, "The value in " + columnName()
						+ " starts with a quote (\") that is never closed; add the closing quote, or remove the"
						+ " opening one");
			}
			if (c == '"') {
				c = read();
				if (c == '"') {
					append('"', true, openedOn);
					continue;
				}
				while (isSpace(c)) {
					c = read();
				}
				if (c != END && c != this.delimiter && c != '\r' && c != '\n') {
					throw new CsvFormatException(this.line, this.column, "The value in " + columnName()
							+ " has text after its closing quote (\"); put the whole value in quotes and write any"
							+ " quote inside it twice, like \"say \"\"hi\"\"\"");
				}
				return c;
			}
			if (c == '\r' || c == '\n') {
				readLineBreak(c);
				// One line break whatever the system that saved the file used.
				c = '\n';
			}
			append(c, true, openedOn);
		}
	}

	private void append(int c, boolean quoted, long valueLine) {
		if (this.value.length() >= MAX_FIELD_LENGTH) {
			String problem = "The value in " + columnName() + " is longer than "
					+ String.format(Locale.ROOT, "%,d", MAX_FIELD_LENGTH) + " characters";
			// So long a quoted value is most likely a quote that was never closed, running on through the file.
			throw new CsvFormatException(valueLine, this.column, quoted ? problem
					+ "; most likely the quote (\") that opens it here is never closed: add the closing quote, or"
					+ " remove the opening one" : problem + "; check that this is the right file");
		}
		this.value.append((char) c);
	}

	private void readLineBreak(int c) {
		if (c == '\r') {
			int next = read();
			if (next != '\n') {
				this.pushedBack = next;
			}
		}
		this.line++;
	}

	private boolean isSpace(int c) {
		return c >= 0 && c != this.delimiter && c != '\r' && c != '\n' && Character.isWhitespace(c);
	}

	private String columnName() {
		if (this.header != null && this.column <= this.header.size()) {
			return "column \"" + this.header.get(this.column - 1) + "\"";
		}
		return "column " + this.column;
	}

	private String delimiterName() {
		return switch (this.delimiter) {
			case ';' -> "semicolon (;)";
			case '\t' -> "tab";
			default -> "comma (,)";
		};
	}

	/**
	 * Reads ahead to the end of the first line that is not blank, counting delimiters outside quotes, and keeps
	 * what it read for the parser to read again.
	 */
	private char detectDelimiter() {
		StringBuilder scanned = new StringBuilder();
		int commas = 0;
		int semicolons = 0;
		int tabs = 0;
		boolean quoted = false;
		boolean content = false;
		boolean first = true;
		while (scanned.length() < DELIMITER_SCAN_LIMIT) {
			int c;
			try {
				c = read();
			}
			catch (CsvFormatException notUtf8) {
				// The parser meets the bad bytes again after the replay, when it knows which line they are on.
				break;
			}
			if (c == END) {
				break;
			}
			// Excel starts its "CSV UTF-8" files with a byte order mark, which is no part of the first name.
			if (c == BYTE_ORDER_MARK && first) {
				first = false;
				continue;
			}
			first = false;
			scanned.append((char) c);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && (c == '\r' || c == '\n')) {
				if (content) {
					break;
				}
				// A blank line before the header: what it held says nothing about the header.
				commas = 0;
				semicolons = 0;
				tabs = 0;
			}
			else if (!quoted) {
				switch (c) {
					case ',' -> commas++;
					case ';' -> semicolons++;
					case '\t' -> tabs++;
					default -> {
					}
				}
			}
			if (!Character.isWhitespace(c)) {
				content = true;
			}
		}
		this.replay = scanned.toString();
		if (semicolons > commas && semicolons >= tabs) {
			return ';';
		}
		if (tabs > commas && tabs > semicolons) {
			return '\t';
		}
		return ',';
	}

	private int read() {
		if (this.pushedBack != NONE) {
			int c = this.pushedBack;
			this.pushedBack = NONE;
			return c;
		}
		if (this.replayPosition < this.replay.length()) {
			return this.replay.charAt(this.replayPosition++);
		}
		if (!this.chars.hasRemaining() && !decodeMore()) {
			return END;
		}
		return this.chars.get();
	}

	/** Decodes more of the stream into {@link #chars}; false at its end. */
	private boolean decodeMore() {
		if (this.malformed) {
			throw notUtf8();
		}
		this.chars.clear();
		try {
			while (this.chars.position() == 0 && !this.malformed && !this.flushed) {
				if (!this.endOfBytes) {
					this.bytes.compact();
					int n = this.in.read(this.bytes.array(), this.bytes.position(), this.bytes.remaining());
					if (n < 0) {
						this.endOfBytes = true;
					}
					else {
						this.bytes.position(this.bytes.position() + n);
					}
					this.bytes.flip();
				}
				CoderResult result = this.decoder.decode(this.bytes, this.chars, this.endOfBytes);
				if (result.isError()) {
					this.malformed = true;
				}
				else if (this.endOfBytes && result.isUnderflow()) {
					this.decoder.flush(this.chars);
					this.flushed = true;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.chars.flip();
		if (this.chars.hasRemaining()) {
			return true;
		}
		if (this.malformed) {
			throw notUtf8();
		}
		return false;
	}

	private CsvFormatException notUtf8() {
		return new CsvFormatException(this.line, this.column, "The file has characters that are not UTF-8 text;"
				+ " save it again as \"CSV UTF-8\" (in Excel: File, Save As, CSV UTF-8) and upload it again");
	}

}

package io.rollcall.csv;

/**
 * A CSV file that cannot be read as a table, with where the problem is. The message is meant for the admin who
 * uploaded the file: it says what is wrong and how to fix it, and ends with "(line L, column C)".
 */
public final class CsvFormatException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final long line;

	private final int column;

	/**
	 * @param line the 1-based physical line of the file, as a text editor numbers them
	 * @param column the 1-based column, counted in values as a spreadsheet shows them, not in characters
	 * @param problem what is wrong and what to do, in words an admin understands
	 */
	public CsvFormatException(long line, int column, String problem) {
		super(problem + " (line " + line + ", column " + column + ")");
		this.line = line;
		this.column = column;
	}

	/** The 1-based physical line of the file where the problem is. */
	public long line() {
		return this.line;
	}

	/** The 1-based column (the value's position in its row, as a spreadsheet shows it) where the problem is. */
	public int column() {
		return this.column;
	}

}

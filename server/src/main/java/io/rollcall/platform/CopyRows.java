package io.rollcall.platform;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;

/**
 * Rows for one table written with PostgreSQL's {@code COPY … FROM STDIN}, in the caller's transaction. For the
 * thousands of rows a large sync writes per chunk: an {@code insert … select from unnest(arrays)} or a batched insert
 * makes the driver quote every value into parameters (1.5 GB of allocation in a sync of 100,000 people), which the
 * server then parses back. Values are encoded straight into COPY's text format (UTF-8) and sent 64 KB at a time, so
 * a chunk is never held whole as text. A column left out takes its default.
 */
public final class CopyRows {

	/**
	 * From how many rows at once a writer copies them in: below it one statement is cheaper (a copy costs a round trip
	 * more, which a push's latency would pay).
	 */
	public static final int WORTH_IT = 200;

	private static final int BUFFER = 64 * 1024;

	private final CopyIn copy;

	private final int columns;

	private final byte[] buffer = new byte[BUFFER];

	private int length;

	private int inRow;

	private CopyRows(CopyIn copy, int columns) {
		this.copy = copy;
		this.columns = columns;
	}

	/**
	 * Copies into {@code table}'s {@code columns} (comma-separated, as in SQL) the rows {@code rows} adds, value by
	 * value in that order, in the transaction of the current thread; how many. Nothing else may use the transaction's
	 * connection meanwhile: {@code rows} only adds values. If it or the copy fails, no row is written.
	 */
	public static long write(DataSource dataSource, String table, String columns, Consumer<CopyRows> rows) {
		String statement = "copy " + table + " (" + columns + ") from stdin";
		Connection connection = DataSourceUtils.getConnection(dataSource);
		CopyIn copy = null;
		try {
			copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(statement);
			CopyRows writer = new CopyRows(copy, columns.split(",").length);
			rows.accept(writer);
			if (writer.inRow != 0) {
				throw new IllegalStateException(
						"A row has " + writer.inRow + " of its " + writer.columns + " values; nothing was copied");
			}
			writer.send();
			return copy.endCopy();
		}
		catch (SQLException ex) {
			throw translate(dataSource, statement, ex);
		}
		catch (CopyFailed ex) {
			throw translate(dataSource, statement, ex.getCause());
		}
		finally {
			cancelUnlessEnded(copy);
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/** {@link #write} of rows already made, each an array of its values in the columns' order. */
	public static long writeRows(DataSource dataSource, String table, String columns, List<Object[]> rows) {
		return write(dataSource, table, columns, copy -> {
			for (Object[] row : rows) {
				for (Object value : row) {
					copy.add(value);
				}
			}
		});
	}

	/** The next value of the current row: null, or anything whose {@code toString} PostgreSQL reads for the column. */
	public CopyRows add(Object value) {
		if (this.inRow > 0) {
			put((byte) '\t');
		}
		if (value == null) {
			put((byte) '\\');
			put((byte) 'N');
		}
		else {
			escape(value.toString());
		}
		if (++this.inRow == this.columns) {
			put((byte) '\n');
			this.inRow = 0;
		}
		return this;
	}

	/**
	 * COPY's text format in UTF-8: a backslash escapes, tab and newline end values and rows. The JDK encodes the value
	 * (for the ASCII of ids, names and JSON that is a copy of the string's bytes, where this class encoded it a character
	 * at a time: a fifth of a large sync's Java samples), and the bytes go as they are between the few to escape. A
	 * byte of a multi-byte character is never one of them (all are 0x80 or above), nor is the '?' that stands for half a
	 * surrogate pair.
	 */
	private void escape(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
			// Nearly every value (ids, names, the JSON of subjects and changes): the JDK's searches for a character are
			// vectorised, where the loop below looks at one byte at a time (a twentieth of a large sync's Java samples).
			put(bytes, 0, bytes.length);
			return;
		}
		int from = 0;
		for (int i = 0; i < bytes.length; i++) {
			byte escaped = switch (bytes[i]) {
				case '\\' -> '\\';
				case '\t' -> 't';
				case '\n' -> 'n';
				case '\r' -> 'r';
				default -> 0;
			};
			if (escaped != 0) {
				put(bytes, from, i);
				put((byte) '\\');
				put(escaped);
				from = i + 1;
			}
		}
		put(bytes, from, bytes.length);
	}

	private void put(byte[] bytes, int from, int to) {
		while (from < to) {
			if (this.length == BUFFER) {
				send();
			}
			int n = Math.min(to - from, BUFFER - this.length);
			System.arraycopy(bytes, from, this.buffer, this.length, n);
			this.length += n;
			from += n;
		}
	}

	private void put(byte b) {
		if (this.length == BUFFER) {
			send();
		}
		this.buffer[this.length++] = b;
	}

	private void send() {
		if (this.length == 0) {
			return;
		}
		try {
			this.copy.writeToCopy(this.buffer, 0, this.length);
		}
		catch (SQLException ex) {
			throw new CopyFailed(ex);
		}
		this.length = 0;
	}

	/** As a statement's failure would be: a broken constraint is a DataIntegrityViolationException. */
	private static DataAccessException translate(DataSource dataSource, String statement, SQLException ex) {
		DataAccessException translated = new SQLErrorCodeSQLExceptionTranslator(dataSource).translate("COPY",
				statement, ex);
		return translated != null ? translated : new UncategorizedSQLException("COPY", statement, ex);
	}

	private static void cancelUnlessEnded(CopyIn copy) {
		if (copy != null && copy.isActive()) {
			try {
				copy.cancelCopy();
			}
			catch (SQLException ex) {
				// The copy failed already, and that failure is the one thrown.
			}
		}
	}

	/** A failure while rows were being sent, thrown out of {@code add} and translated by {@link #write}. */
	private static final class CopyFailed extends RuntimeException {

		CopyFailed(SQLException cause) {
			super(cause);
		}

		@Override
		public synchronized SQLException getCause() {
			return (SQLException) super.getCause();
		}

	}

}

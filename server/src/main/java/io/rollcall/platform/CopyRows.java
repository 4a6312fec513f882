package io.rollcall.platform;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;

/**
 * Rows for one table written with PostgreSQL's {@code COPY … FROM STDIN}, in the caller's transaction. For the
 * thousands of rows a large sync writes per chunk: an {@code insert … select from unnest(arrays)} makes the driver
 * quote every value into an array literal and the server parse it back, which cost more than the rows' own writing
 * (bench/RESULTS.md, seventeenth session). Values go in COPY's text format; a column left out takes its default.
 */
public final class CopyRows {

	private final String statement;

	private final int columns;

	private final StringBuilder text = new StringBuilder(64 * 1024);

	private int inRow;

	private long rows;

	/** Rows for {@code table}'s {@code columns} (comma-separated, as in SQL), each given value by value in that order. */
	public CopyRows(String table, String columns) {
		this.statement = "copy " + table + " (" + columns + ") from stdin";
		this.columns = columns.split(",").length;
	}

	/** The next value of the current row: null, or anything whose {@code toString} PostgreSQL reads for the column. */
	public CopyRows add(Object value) {
		if (this.inRow > 0) {
			this.text.append('\t');
		}
		if (value == null) {
			this.text.append("\\N");
		}
		else {
			escape(value.toString());
		}
		if (++this.inRow == this.columns) {
			this.text.append('\n');
			this.inRow = 0;
			this.rows++;
		}
		return this;
	}

	/** Writes the rows in the transaction of the current thread, as a JDBC statement there would. */
	public long writeTo(DataSource dataSource) {
		if (this.inRow != 0) {
			throw new IllegalStateException("A row has " + this.inRow + " of its " + this.columns + " values");
		}
		if (this.rows == 0) {
			return 0;
		}
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			return connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn(this.statement, new StringReader(this.text.toString()));
		}
		catch (SQLException ex) {
			// As a statement's failure would be: a broken constraint is a DataIntegrityViolationException.
			DataAccessException translated = new SQLErrorCodeSQLExceptionTranslator(dataSource).translate("COPY",
					this.statement, ex);
			throw translated != null ? translated : new UncategorizedSQLException("COPY", this.statement, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/** COPY's text format: a backslash escapes, tab and newline end values and rows. */
	private void escape(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> this.text.append("\\\\");
				case '\t' -> this.text.append("\\t");
				case '\n' -> this.text.append("\\n");
				case '\r' -> this.text.append("\\r");
				default -> this.text.append(c);
			}
		}
	}

}

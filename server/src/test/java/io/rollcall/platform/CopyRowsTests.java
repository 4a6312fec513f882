package io.rollcall.platform;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.rollcall.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** COPY's text format both ways: what goes in comes back as it was, and a broken rule fails as an insert would. */
class CopyRowsTests extends IntegrationTest {

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transactions;

	/** A table of this test's own, dropped after it. */
	private String table;

	@org.junit.jupiter.api.BeforeEach
	void table() {
		this.table = "copy_rows_" + UUID.randomUUID().toString().replace("-", "");
	}

	@org.junit.jupiter.api.AfterEach
	void drop() {
		this.jdbc.sql("drop table if exists " + this.table).update();
	}

	@Test
	void writeToWhenValuesHoldCopysOwnCharactersThenTheyComeBackUnchanged() {
		String table = this.table;
		this.jdbc.sql("create table " + table + " (id uuid primary key, label text, doc jsonb, n int, day date)")
			.update();
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		String awkward = "tab\there, new\nline, return\r, back\\slash, \\N, \\., quote \" and Zoë 日本";
		String json = "{\"path\": \"C:\\\\temp\\\\new\", \"text\": \"a\\tb\\nc\"}";
		long written = this.transactions.execute(s -> CopyRows.write(this.dataSource, table, "id, label, doc, n, day",
				rows -> rows.add(first)
					.add(awkward)
					.add(json)
					.add(42)
					.add(java.sql.Date.valueOf("2024-02-29"))
					.add(second)
					.add(null)
					.add(null)
					.add(null)
					.add(null)));

		assertThat(written).isEqualTo(2);
		Map<String, Object> row = this.jdbc.sql("select label, doc ->> 'path' as path, doc ->> 'text' as text, n, "
				+ "cast(day as text) as day from " + table + " where id = :id")
			.param("id", first)
			.query()
			.singleRow();
		assertThat(row).containsEntry("label", awkward)
			.containsEntry("path", "C:\\temp\\new")
			.containsEntry("text", "a\tb\nc")
			.containsEntry("n", 42)
			.containsEntry("day", "2024-02-29");
		List<Object> nulls = this.jdbc.sql("select label, doc, n, day from " + table + " where id = :id")
			.param("id", second)
			.query()
			.singleRow()
			.values()
			.stream()
			.toList();
		assertThat(nulls).containsOnlyNulls();
	}

	@Test
	void writeWhenAValueHoldsOneOfCopysCharactersAloneThenItComesBackUnchanged() {
		// Each character on its own, in Latin-1 and in wider strings: a value is only copied as it is when it holds none.
		String table = this.table;
		this.jdbc.sql("create table " + table + " (n int primary key, label text)").update();
		List<String> values = List.of("back\\slash", "tab\there", "new\nline", "return\rhere", "Zoë\\", "日本\t",
				"日本\n", "日本\r", "plain", "日本", "\\", "\t", "\n", "\r", "");
		this.transactions.execute(s -> CopyRows.write(this.dataSource, table, "n, label", rows -> {
			for (int i = 0; i < values.size(); i++) {
				rows.add(i).add(values.get(i));
			}
		}));

		assertThat(this.jdbc.sql("select label from " + table + " order by n").query(String.class).list())
			.containsExactlyElementsOf(values);
	}

	@Test
	void writeToWhenARowBreaksAConstraintThenNothingIsWrittenAndTheFailureIsAnIntegrityViolation() {
		String table = this.table;
		this.jdbc.sql("create table " + table + " (id uuid primary key, label text not null)").update();
		UUID id = UUID.randomUUID();

		assertThatThrownBy(() -> this.transactions
			.executeWithoutResult(s -> CopyRows.write(this.dataSource, table, "id, label",
					rows -> rows.add(UUID.randomUUID())
						.add("kept?")
						.add(id)
						.add("first")
						.add(id)
						.add("again"))))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining(table);
		assertThat(this.jdbc.sql("select count(*) from " + table).query(Integer.class).single()).isZero();
	}

	@Test
	void writeWhenTheLastRowIsShortThenRefusedAndNothingIsWrittenAndTheConnectionServesOn() {
		String table = this.table;
		this.jdbc.sql("create table " + table + " (id uuid primary key, label text)").update();

		assertThatThrownBy(() -> this.transactions.executeWithoutResult(s -> CopyRows.write(this.dataSource, table,
				"id, label", rows -> rows.add(UUID.randomUUID()).add("whole").add(UUID.randomUUID()))))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("1 of its 2 values");
		assertThat(this.jdbc.sql("select count(*) from " + table).query(Integer.class).single()).isZero();
	}

	@Test
	void writeWhenRowsOutgrowTheBufferThenAllArriveWhole() {
		String table = this.table;
		this.jdbc.sql("create table " + table + " (n int primary key, label text)").update();
		// Multi-byte characters and escapes across many 64 KB sends: none may be cut in two.
		String label = "é\\t日本😀\t".repeat(40);
		int count = 3_000;

		long written = this.transactions.execute(s -> CopyRows.write(this.dataSource, table, "n, label", rows -> {
			for (int i = 0; i < count; i++) {
				rows.add(i).add(label + i);
			}
		}));

		assertThat(written).isEqualTo(count);
		assertThat(this.jdbc.sql("select count(*) from " + table + " where label = :expected || n")
			.param("expected", label)
			.query(Integer.class)
			.single()).isEqualTo(count);
	}

	@Test
	void writeWhenPlainValuesAndOneLargerThanTheBufferOutgrowItThenAllArriveWhole() {
		String table = this.table;
		this.jdbc.sql("create table " + table + " (n int primary key, label text)").update();
		// ASCII with nothing to escape goes as it is, in pieces where the 64 KB buffer fills: a value larger than the
		// buffer, escapes before and after such a piece, and values of every length around the buffer's end.
		String large = "x".repeat(70_000) + "\\end\t" + "y".repeat(70_000);
		int count = 2_000;

		long written = this.transactions.execute(s -> CopyRows.write(this.dataSource, table, "n, label", rows -> {
			rows.add(-1).add(large);
			for (int i = 0; i < count; i++) {
				rows.add(i).add("plain-" + "z".repeat(i % 97) + i);
			}
		}));

		assertThat(written).isEqualTo(count + 1);
		assertThat(this.jdbc.sql("select label from " + table + " where n = -1").query(String.class).single())
			.isEqualTo(large);
		assertThat(this.jdbc.sql("select count(*) from " + table
				+ " where n >= 0 and label = 'plain-' || repeat('z', n % 97) || n")
			.query(Integer.class)
			.single()).isEqualTo(count);
	}

}

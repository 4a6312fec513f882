package io.rollcall.csv;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.platform.RequestRejectedException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Uploaded files, kept in the database so that a run reading one survives a restart. A file is checked for
 * structure when it arrives: a broken file is refused at once with its line and column, and never stored.
 */
@Service
public class Uploads {

	/** Well above 100,000 people with a dozen columns. */
	static final int MAX_BYTES = 64 * 1024 * 1024;

	private final JdbcClient jdbc;

	Uploads(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** What an upload holds, for the preview of its columns. */
	public record Upload(UUID id, String filename, List<String> header, long rows) implements java.io.Serializable {
	}

	@Transactional
	public Upload store(UUID companyId, String filename, byte[] content) {
		if (content.length == 0) {
			throw RequestRejectedException.invalid("file", "The file is empty: the first line must name the columns");
		}
		if (content.length > MAX_BYTES) {
			throw RequestRejectedException.invalid("file",
					"The file is larger than 64 MB; split it into smaller files");
		}
		List<String> header;
		long rows = 0;
		try (CsvReader reader = new CsvReader(new ByteArrayInputStream(content))) {
			header = reader.header();
			for (CsvRow ignored : reader) {
				rows++;
			}
		}
		catch (CsvFormatException ex) {
			throw RequestRejectedException.invalid("file", ex.getMessage());
		}
		UUID id = UUID.randomUUID();
		String name = filename == null || filename.isBlank() ? "upload.csv" : filename.strip();
		this.jdbc.sql("insert into upload (id, company_id, filename, content) values (:id, :company, :name, :content)")
			.param("id", id)
			.param("company", companyId)
			.param("name", name.length() > 200 ? name.substring(0, 200) : name)
			.param("content", content)
			.update();
		return new Upload(id, name, header, rows);
	}

	@Transactional(readOnly = true)
	public Optional<byte[]> content(UUID companyId, UUID id) {
		return this.jdbc.sql("select content from upload where company_id = :company and id = :id")
			.param("company", companyId)
			.param("id", id)
			.query(byte[].class)
			.optional();
	}

	@Transactional(readOnly = true)
	public Upload describe(UUID companyId, UUID id) {
		byte[] content = content(companyId, id).orElseThrow(() -> RequestRejectedException.notFound("Upload " + id));
		try (CsvReader reader = new CsvReader(new ByteArrayInputStream(content))) {
			long rows = 0;
			for (CsvRow ignored : reader) {
				rows++;
			}
			String filename = this.jdbc.sql("select filename from upload where id = :id")
				.param("id", id)
				.query(String.class)
				.single();
			return new Upload(id, filename, reader.header(), rows);
		}
	}

}

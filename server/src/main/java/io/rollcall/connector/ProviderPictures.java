package io.rollcall.connector;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.directory.AvatarStore;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * A provider's pictures of its people, one row per person ({@code company_id}, {@code user_id}) holding the picture
 * ({@code content_type}, {@code content}) and its {@code sha256}, which names its avatar URL: a changed picture gets a
 * new URL. The provider's subclass owns the table and how its pictures are fetched and kept.
 */
public abstract class ProviderPictures implements AvatarStore {

	protected final JdbcClient jdbc;

	private final String source;

	private final String table;

	/**
	 * @param source the source, as it names the avatar URLs
	 * @param table the provider's picture table
	 */
	protected ProviderPictures(String source, String table, JdbcClient jdbc) {
		Assert.hasText(source, "source cannot be empty");
		Assert.hasText(table, "table cannot be empty");
		this.source = source;
		this.table = table;
		this.jdbc = jdbc;
	}

	@Override
	public String source() {
		return this.source;
	}

	/** The person's picture; empty too when the person was found to have none. */
	@Override
	public Optional<Avatar> load(UUID companyId, String userId) {
		return this.jdbc.sql("select content_type, content, sha256 from " + this.table
				+ " where company_id = :company and user_id = :user and content is not null")
			.param("company", companyId)
			.param("user", userId)
			.query((rs, n) -> new Avatar(rs.getString(1), rs.getBytes(2), rs.getString(3)))
			.optional();
	}

	/**
	 * What is kept of these people's pictures, by user id; whoever has no row is left out.
	 *
	 * @param columns what to read of each row besides {@code user_id}, which comes first
	 * @param row reads one row, whose {@code user_id} is its first column
	 */
	protected final <T> Map<String, T> stored(UUID companyId, Collection<String> userIds, String columns,
			RowMapper<T> row) {
		Map<String, T> stored = new HashMap<>();
		if (userIds.isEmpty()) {
			return stored;
		}
		this.jdbc
			.sql("select user_id, " + columns + " from " + this.table
					+ " where company_id = :company and user_id = any(:ids)")
			.param("company", companyId)
			.param("ids", userIds.toArray(new String[0]))
			// Straight into the map: a list of entries first would be two more objects for each of a page's people.
			.query((RowCallbackHandler) rs -> stored.put(rs.getString(1), row.mapRow(rs, stored.size())));
		return stored;
	}

	/** The hash of a picture, that names its avatar URL. */
	public static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}

package io.rollcall.entra;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Photos as Graph last gave them, one per person. Their hash names the avatar URL, so a changed photo gets a new URL
 * (and browsers never show a stale one), while an unchanged one is neither downloaded nor written again.
 */
@Repository
class EntraPhotos {

	private final JdbcClient jdbc;

	EntraPhotos(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Stored(String etag, String sha256) {
	}

	record Photo(String contentType, byte[] content, String sha256) {
	}

	Map<String, Stored> stored(UUID companyId, Collection<String> userIds) {
		Map<String, Stored> stored = new HashMap<>();
		if (userIds.isEmpty()) {
			return stored;
		}
		this.jdbc.sql("select user_id, etag, sha256 from entra_photo where company_id = :company and user_id = any(:ids)")
			.param("company", companyId)
			.param("ids", userIds.toArray(new String[0]))
			.query(rs -> {
				stored.put(rs.getString(1), new Stored(rs.getString(2), rs.getString(3)));
			});
		return stored;
	}

	/** Keeps the photo; returns its hash. */
	String store(UUID companyId, String userId, String etag, String contentType, byte[] content) {
		String sha = sha256(content);
		this.jdbc.sql("""
				insert into entra_photo (company_id, user_id, etag, sha256, content_type, content)
				values (:company, :user, :etag, :sha, :type, :content)
				on conflict (company_id, user_id) do update set etag = excluded.etag, sha256 = excluded.sha256,
				    content_type = excluded.content_type, content = excluded.content, updated_at = now()
				""")
			.param("company", companyId)
			.param("user", userId)
			.param("etag", etag)
			.param("sha", sha)
			.param("type", contentType)
			.param("content", content)
			.update();
		return sha;
	}

	void forget(UUID companyId, String userId) {
		this.jdbc.sql("delete from entra_photo where company_id = :company and user_id = :user")
			.param("company", companyId)
			.param("user", userId)
			.update();
	}

	Optional<Photo> load(UUID companyId, String userId) {
		return this.jdbc.sql("select content_type, content, sha256 from entra_photo where company_id = :company and user_id = :user")
			.param("company", companyId)
			.param("user", userId)
			.query((rs, n) -> new Photo(rs.getString(1), rs.getBytes(2), rs.getString(3)))
			.optional();
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}

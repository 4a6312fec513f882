package io.rollcall.entra;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import io.rollcall.connector.ProviderPictures;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Photos as Graph last gave them, one per person. Their hash names the avatar URL, so a changed photo gets a new URL
 * (and browsers never show a stale one), while an unchanged one is neither downloaded nor written again. A row is
 * also the photo pass's work queue: it is due for a (re-)check when {@code due_at} has come.
 */
@Repository
class EntraPhotos extends ProviderPictures {

	EntraPhotos(JdbcClient jdbc) {
		super(EntraSource.KIND, "entra_photo", jdbc);
	}

	/**
	 * @param sha256 null when the person had no photo when last checked
	 * @param checkedAt null when nobody has looked yet
	 */
	record Stored(String userId, String etag, String sha256, Instant checkedAt) {
	}

	Map<String, Stored> stored(UUID companyId, Collection<String> userIds) {
		return stored(companyId, userIds, "etag, sha256, checked_at",
				(rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4))));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	/** Whether the company has any photo row, stored or queued. */
	boolean any(UUID companyId) {
		return this.jdbc.sql("select exists (select 1 from entra_photo where company_id = :company)")
			.param("company", companyId)
			.query(Boolean.class)
			.single();
	}

	/** Queues the people nobody has looked at yet for the photo pass; people already known keep their place. */
	void enqueue(UUID companyId, Collection<String> userIds, Instant now) {
		if (userIds.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				insert into entra_photo (company_id, user_id, due_at)
				select :company, id, :now from unnest(:ids) as id
				on conflict (company_id, user_id) do nothing
				""")
			.param("company", companyId)
			.param("ids", userIds.toArray(new String[0]))
			.param("now", Timestamp.from(now))
			.update();
	}

	/**
	 * Makes every photo of the company due now: "Sync users" promises a changed photo shows at once, not after the
	 * paced pass's next round (up to 12 h later). The pass still paces the calls; unchanged etags cost no download.
	 *
	 * @return how many photos were brought forward
	 */
	int dueNow(UUID companyId, Instant now) {
		return this.jdbc.sql("update entra_photo set due_at = :now where company_id = :company and due_at > :now")
			.param("now", Timestamp.from(now))
			.param("company", companyId)
			.update();
	}

	/** The photos whose check is due, never-checked ones first. */
	java.util.List<Stored> due(UUID companyId, Instant now, int limit) {
		return this.jdbc.sql("""
				select user_id, etag, sha256, checked_at from entra_photo
				where company_id = :company and due_at <= :now
				order by checked_at nulls first, due_at limit :limit
				""")
			.param("company", companyId)
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3),
					instant(rs.getTimestamp(4))))
			.list();
	}

	/** How many people the company's tenant has shown us: the size that sets Graph's budget. */
	long count(UUID companyId) {
		return this.jdbc.sql("select count(*) from entra_photo where company_id = :company")
			.param("company", companyId)
			.query(Long.class)
			.single();
	}

	/** Photos queued and not looked at yet, in every company. */
	long waiting() {
		return this.jdbc.sql("select count(*) from entra_photo where checked_at is null").query(Long.class).single();
	}

	/** Not checkable yet (the person is not in the directory): look again later. */
	void postpone(UUID companyId, String userId, Instant dueAt) {
		this.jdbc.sql("update entra_photo set due_at = :due where company_id = :company and user_id = :user")
			.param("due", Timestamp.from(dueAt))
			.param("company", companyId)
			.param("user", userId)
			.update();
	}

	/** Keeps the photo (null content: the person has none); returns its hash, or null. */
	String store(UUID companyId, String userId, String etag, String contentType, byte[] content, Instant checkedAt,
			Instant dueAt) {
		String sha = content == null ? null : sha256(content);
		this.jdbc.sql("""
				insert into entra_photo (company_id, user_id, etag, sha256, content_type, content, checked_at, due_at)
				values (:company, :user, :etag, :sha, :type, :content, :checked, :due)
				on conflict (company_id, user_id) do update set etag = excluded.etag, sha256 = excluded.sha256,
				    content_type = excluded.content_type, content = excluded.content, checked_at = excluded.checked_at,
				    due_at = excluded.due_at, updated_at = now()
				""")
			.param("company", companyId)
			.param("user", userId)
			.param("etag", etag)
			.param("sha", sha)
			.param("type", contentType)
			.param("content", content)
			.param("checked", Timestamp.from(checkedAt))
			.param("due", Timestamp.from(dueAt))
			.update();
		return sha;
	}

	/** The photo was looked at and is as stored. */
	void checked(UUID companyId, String userId, Instant checkedAt, Instant dueAt) {
		this.jdbc.sql(
				"update entra_photo set checked_at = :checked, due_at = :due where company_id = :company and user_id = :user")
			.param("checked", Timestamp.from(checkedAt))
			.param("due", Timestamp.from(dueAt))
			.param("company", companyId)
			.param("user", userId)
			.update();
	}

}

package io.rollcall.identityprovider;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Spring Authorization Server's JDBC authorization store, with a cheaper save. Its own save reads the whole
 * authorization first only to choose between insert and update: a query, a JSON parse of every attribute (the
 * authorization request, the principal) and a client lookup, on every token request. Here that choice is made by a
 * primary-key probe instead, and the store's own read, which it asks of {@link #findById} while saving, is answered
 * from that probe.
 */
final class AuthorizationRows extends JdbcOAuth2AuthorizationService {

	/** While this thread saves: the authorization if it is already stored, else {@link #NEW}. */
	private static final ThreadLocal<Object> SAVING = new ThreadLocal<>();

	private static final Object NEW = new Object();

	private final JdbcOperations jdbc;

	AuthorizationRows(JdbcOperations jdbc, RegisteredClientRepository clients) {
		super(jdbc, clients);
		this.jdbc = jdbc;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		boolean stored = !this.jdbc
			.queryForList("select 1 from oauth2_authorization where id = ?", Integer.class, authorization.getId())
			.isEmpty();
		SAVING.set(stored ? authorization : NEW);
		try {
			super.save(authorization);
		}
		finally {
			SAVING.remove();
		}
	}

	@Override
	public OAuth2Authorization findById(String id) {
		Object saving = SAVING.get();
		if (saving instanceof OAuth2Authorization authorization && authorization.getId().equals(id)) {
			// The superclass only asks whether the row exists.
			return authorization;
		}
		if (saving == NEW) {
			return null;
		}
		return super.findById(id);
	}

}

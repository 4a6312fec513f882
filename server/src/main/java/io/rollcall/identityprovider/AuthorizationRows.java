package io.rollcall.identityprovider;

import java.util.List;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Spring Authorization Server's JDBC authorization store, with a cheaper save. Its own save reads the whole
 * authorization first only to choose between insert and update: a query, a JSON parse of every attribute (the
 * authorization request, the principal) and a client lookup, on every token request. Here that choice is made by a
 * primary-key probe instead, or by the request having read it (a token request saves the authorization it found), and
 * the store's own read, which it asks of {@link #findById} while saving, is answered from that.
 */
final class AuthorizationRows extends JdbcOAuth2AuthorizationService {

	/** While this thread saves: the authorization if it is already stored, else {@link #NEW}. */
	private static final ThreadLocal<Object> SAVING = new ThreadLocal<>();

	private static final Object NEW = new Object();

	private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

	private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

	/** Request attributes naming the authorizations this request read from the table. */
	private static final String READ = AuthorizationRows.class.getName() + ".read.";

	private final JdbcOperations jdbc;

	AuthorizationRows(JdbcOperations jdbc, RegisteredClientRepository clients) {
		super(jdbc, clients);
		this.jdbc = jdbc;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		// One this request read is stored (a token request saves what it found): updated, never inserted again, so
		// that one deleted meanwhile (the person left) stays deleted.
		boolean stored = readInThisRequest(authorization.getId()) || !this.jdbc
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

	/**
	 * Codes, refresh tokens and states by their indexed columns. Access and ID tokens are not indexed (V23): they are
	 * found with their subject ({@link #findByTokenOf}), so that a token request, which replaces both, updates two
	 * indexes fewer. Without a type (introspection or revocation without a hint), a refresh token, then a code.
	 */
	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		if (tokenType == null) {
			OAuth2Authorization found = super.findByToken(token, OAuth2TokenType.REFRESH_TOKEN);
			return remembered(found != null ? found : super.findByToken(token, CODE));
		}
		if (bySubject(tokenType)) {
			throw new IllegalStateException("Access and ID tokens are found with their subject (findByTokenOf)");
		}
		return remembered(super.findByToken(token, tokenType));
	}

	/** Whether tokens of this type are found by {@link #findByTokenOf}: access and ID tokens. */
	static boolean bySubject(OAuth2TokenType tokenType) {
		return OAuth2TokenType.ACCESS_TOKEN.equals(tokenType) || ID_TOKEN.equals(tokenType);
	}

	/**
	 * An access or ID token (by its stored value) among the authorizations of its subject, the person's id, which
	 * the principal-name index finds; with no type, an access token, then an ID token.
	 */
	OAuth2Authorization findByTokenOf(String subject, String token, OAuth2TokenType tokenType) {
		if (tokenType == null) {
			OAuth2Authorization found = findByTokenOf(subject, token, OAuth2TokenType.ACCESS_TOKEN);
			return found != null ? found : findByTokenOf(subject, token, ID_TOKEN);
		}
		String column = OAuth2TokenType.ACCESS_TOKEN.equals(tokenType) ? "access_token_value" : "oidc_id_token_value";
		List<OAuth2Authorization> found = this.jdbc.query(
				"select * from oauth2_authorization where principal_name = ? and " + column + " = ?",
				getAuthorizationRowMapper(), subject, token);
		return remembered(found.isEmpty() ? null : found.getFirst());
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
		return remembered(super.findById(id));
	}

	private static OAuth2Authorization remembered(OAuth2Authorization found) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (found != null && request != null) {
			request.setAttribute(READ + found.getId(), Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
		}
		return found;
	}

	private static boolean readInThisRequest(String id) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		return request != null && request.getAttribute(READ + id, RequestAttributes.SCOPE_REQUEST) != null;
	}

}

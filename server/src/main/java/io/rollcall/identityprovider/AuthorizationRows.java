package io.rollcall.identityprovider;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The authorization store, in three tables (V29): {@code oauth2_authorization} holds what is written once, when the
 * code is issued (the request, the principal, the code); {@code oauth2_authorization_token} what a token request
 * replaces (access, ID and refresh tokens, the code's invalidation); {@code oauth2_refresh_token} every refresh token
 * issued, by which the current one is found. Spring Authorization Server's own JDBC store rewrote the whole 1.3 kB row
 * with an entry in each of five indexes on every token request, and read it all back first to choose between insert
 * and update; here a token request rewrites the token row only and adds its new refresh token to the list, in one
 * statement, the choice made from what the request read. A refresh's rewrite stays on its page (HOT: no index
 * entry), as nothing indexed changes and the fill factor leaves room; a code's, which fills the row for the first
 * time, moves it once.
 * <p>
 * Rows are mapped, and authorizations turned into parameters, by the store's mappers ({@link AuthorizationColumns}),
 * in the store's column order; the columns are named as in its one table, so the mappers read the join as they read
 * that table. This class extends the store only for those mappers and the column types it reads from the database at
 * construction; every operation is its own.
 */
final class AuthorizationRows extends JdbcOAuth2AuthorizationService {

	/** The store's columns in its parameters' order; those from {@link #TOKENS_FROM} up to {@link #TOKENS_TO} are the token row's. */
	private static final List<String> COLUMNS = List.of("id", "registered_client_id", "principal_name",
			"authorization_grant_type", "authorized_scopes", "attributes", "state", "authorization_code_value",
			"authorization_code_issued_at", "authorization_code_expires_at", "authorization_code_metadata",
			"access_token_value", "access_token_issued_at", "access_token_expires_at", "access_token_metadata",
			"access_token_type", "access_token_scopes", "oidc_id_token_value", "oidc_id_token_issued_at",
			"oidc_id_token_expires_at", "oidc_id_token_metadata", "refresh_token_value", "refresh_token_issued_at",
			"refresh_token_expires_at", "refresh_token_metadata", "user_code_value", "user_code_issued_at",
			"user_code_expires_at", "user_code_metadata", "device_code_value", "device_code_issued_at",
			"device_code_expires_at", "device_code_metadata");

	private static final int TOKENS_FROM = COLUMNS.indexOf("authorization_code_metadata");

	private static final int TOKENS_TO = COLUMNS.indexOf("user_code_value");

	private static final int REFRESH_TOKEN = COLUMNS.indexOf("refresh_token_value");

	private static final int REFRESH_TOKEN_EXPIRES = COLUMNS.indexOf("refresh_token_expires_at");

	/** Every token's expiry: the authorization is kept until the last of them (AuthorizationRetention). */
	private static final List<Integer> EXPIRIES = COLUMNS.stream()
		.filter(column -> column.endsWith("_expires_at"))
		.map(COLUMNS::indexOf)
		.toList();

	private static final List<Integer> WIDE = java.util.stream.IntStream.range(0, COLUMNS.size())
		.filter(i -> i < TOKENS_FROM || i >= TOKENS_TO)
		.boxed()
		.toList();

	private static final List<String> TOKEN_COLUMNS = COLUMNS.subList(TOKENS_FROM, TOKENS_TO);

	private static final String SELECT = """
			select a.*, t.* from oauth2_authorization a
			left join oauth2_authorization_token t on t.authorization_id = a.id
			""";

	private static final String INSERT = "insert into oauth2_authorization (" + String.join(", ", wide(COLUMNS))
			+ ") values (" + marks(WIDE.size()) + ")";

	private static final String INSERT_TOKENS = "insert into oauth2_authorization_token (authorization_id, "
			+ "retain_until, " + String.join(", ", TOKEN_COLUMNS) + ") values (?, ?, " + marks(TOKEN_COLUMNS.size())
			+ ")";

	private static final String UPDATE = "update oauth2_authorization set "
			+ String.join(", ", wide(COLUMNS).subList(1, WIDE.size()).stream().map(c -> c + " = ?").toList())
			+ " where id = ?";

	private static final String UPDATE_TOKENS = "update oauth2_authorization_token set retain_until = ?, "
			+ String.join(", ", TOKEN_COLUMNS.stream().map(c -> c + " = ?").toList()) + " where authorization_id = ?";

	private static final String ADD_REFRESH_TOKEN = """
			insert into oauth2_refresh_token (token_value, authorization_id, expires_at)
			select ?, authorization_id, coalesce(?, 'infinity'::timestamptz) from written
			on conflict (token_value) do nothing""";

	private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

	private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

	/** Request attributes holding, by authorization id, what this request read of it ({@link Read}). */
	private static final String READ = AuthorizationRows.class.getName() + ".read.";

	/**
	 * An authorization as read: its once-written columns' values, whether its token row exists, and its refresh
	 * token then.
	 */
	private record Read(List<Object> wide, boolean tokens, String refreshToken) {
	}

	private final JdbcOperations jdbc;

	AuthorizationRows(JdbcOperations jdbc, RegisteredClientRepository clients) {
		super(jdbc, clients);
		this.jdbc = jdbc;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		List<SqlParameterValue> columns = plain(getAuthorizationParametersMapper().apply(authorization));
		Read read = readInThisRequest(authorization.getId());
		if (read == null) {
			read = probe(authorization.getId());
		}
		List<String> steps = new ArrayList<>(3);
		List<Object> arguments = new ArrayList<>(COLUMNS.size() + 4);
		String refreshToken = (String) columns.get(REFRESH_TOKEN).getValue();
		List<SqlParameterValue> wide = wide(columns);
		List<Object> wideValues = values(wide);
		if (read == null) {
			steps.add("authorization_row as (" + INSERT + ")");
			arguments.addAll(wide);
		}
		else if (!read.wide().equals(wideValues)) {
			// Rare: a token request leaves these as they were (it keeps the request and principal it read).
			steps.add("authorization_row as (" + UPDATE + ")");
			arguments.addAll(wide.subList(1, WIDE.size()));
			arguments.add(columns.getFirst());
		}
		boolean tokensStored = read != null && read.tokens();
		List<Object> tokens = new ArrayList<>(TOKEN_COLUMNS.size() + 2);
		tokens.add(retainUntil(columns));
		tokens.addAll(columns.subList(TOKENS_FROM, TOKENS_TO));
		if (tokensStored) {
			tokens.add(columns.getFirst());
		}
		else {
			tokens.addFirst(columns.getFirst());
		}
		String writeTokens = tokensStored ? UPDATE_TOKENS : INSERT_TOKENS;
		boolean newRefreshToken = refreshToken != null
				&& (read == null || !refreshToken.equals(read.refreshToken()));
		if (steps.isEmpty() && !newRefreshToken) {
			this.jdbc.update(writeTokens, tokens.toArray());
		}
		else {
			steps.add("written as (" + writeTokens + " returning authorization_id)");
			arguments.addAll(tokens);
			String statement = "with " + String.join(", ", steps) + " ";
			if (newRefreshToken) {
				arguments.add(refreshToken);
				arguments.add(columns.get(REFRESH_TOKEN_EXPIRES));
				this.jdbc.update(statement + ADD_REFRESH_TOKEN, arguments.toArray());
			}
			else {
				this.jdbc.queryForObject(statement + "select count(*) from written", Long.class, arguments.toArray());
			}
		}
		// Saved again in this request (rare), it is written from what it is now.
		remember(authorization.getId(), new Read(wideValues, true, refreshToken));
	}

	/** Whether the authorization is stored, as the request that did not read it finds it now. */
	private Read probe(String id) {
		List<Read> found = this.jdbc.query(SELECT + " where a.id = ?", (row, n) -> read(row), id);
		return found.isEmpty() ? null : found.getFirst();
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		// Its token row goes with it (foreign key); its refresh tokens, inert without it, once expired (V29).
		this.jdbc.update("delete from oauth2_authorization where id = ?", authorization.getId());
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return first(SELECT + " where a.id = ?", id);
	}

	/**
	 * Codes and states by their indexes on the authorization; refresh tokens by the list of those issued, the
	 * current one only. Access and ID tokens are not indexed: they are found with their subject
	 * ({@link #findByTokenOf}), so that a token request, which replaces both, writes no index entry. Without a type
	 * (introspection or revocation without a hint), a refresh token, then a code.
	 */
	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		if (tokenType == null) {
			OAuth2Authorization found = findByToken(token, OAuth2TokenType.REFRESH_TOKEN);
			return found != null ? found : findByToken(token, CODE);
		}
		if (bySubject(tokenType)) {
			throw new IllegalStateException("Access and ID tokens are found with their subject (findByTokenOf)");
		}
		return switch (tokenType.getValue()) {
			case OAuth2ParameterNames.REFRESH_TOKEN -> first("""
					select a.*, t.* from oauth2_refresh_token r
					join oauth2_authorization_token t on t.authorization_id = r.authorization_id
					join oauth2_authorization a on a.id = r.authorization_id
					where r.token_value = ? and t.refresh_token_value = ?""", token, token);
			case OAuth2ParameterNames.CODE -> first(SELECT + " where a.authorization_code_value = ?", token);
			case OAuth2ParameterNames.STATE -> first(SELECT + " where a.state = ?", token);
			default -> null;
		};
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
		return first(SELECT + " where a.principal_name = ? and t." + column + " = ?", subject, token);
	}

	private OAuth2Authorization first(String sql, Object... arguments) {
		RowMapper<OAuth2Authorization> rows = getAuthorizationRowMapper();
		List<OAuth2Authorization> found = this.jdbc.query(sql, (row, n) -> {
			OAuth2Authorization authorization = rows.mapRow(row, n);
			remember(authorization.getId(), read(row));
			return authorization;
		}, arguments);
		return found.isEmpty() ? null : found.getFirst();
	}

	private static Read read(ResultSet row) throws SQLException {
		List<Object> wide = new ArrayList<>(WIDE.size());
		for (int i : WIDE) {
			wide.add(row.getObject(COLUMNS.get(i)));
		}
		return new Read(wide, row.getString("authorization_id") != null, row.getString("refresh_token_value"));
	}

	private static void remember(String id, Read read) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null) {
			request.setAttribute(READ + id, read, RequestAttributes.SCOPE_REQUEST);
		}
	}

	private static Read readInThisRequest(String id) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		return request == null ? null
				: (Read) request.getAttribute(READ + id, RequestAttributes.SCOPE_REQUEST);
	}

	/**
	 * The store's own mapper gives text columns it takes for binary ones (the token row's, which its one table no
	 * longer has) as UTF-8 bytes: written as the text they are.
	 */
	private static List<SqlParameterValue> plain(List<SqlParameterValue> parameters) {
		List<SqlParameterValue> plain = new ArrayList<>(parameters.size());
		for (SqlParameterValue parameter : parameters) {
			plain.add(parameter.getValue() instanceof byte[] bytes
					? new SqlParameterValue(Types.VARCHAR, new String(bytes, StandardCharsets.UTF_8)) : parameter);
		}
		return plain;
	}

	/**
	 * When every token will have expired, rounded up to the hour: the retention index's key, which a token request
	 * changes only when it crosses an hour, so that its update stays HOT.
	 */
	private static Timestamp retainUntil(List<SqlParameterValue> parameters) {
		Instant last = null;
		for (int i : EXPIRIES) {
			if (parameters.get(i).getValue() instanceof Timestamp expiry
					&& (last == null || expiry.toInstant().isAfter(last))) {
				last = expiry.toInstant();
			}
		}
		long seconds = (last == null ? Instant.now() : last).getEpochSecond();
		return Timestamp.from(Instant.ofEpochSecond(Math.ceilDiv(seconds, 3600) * 3600));
	}

	private static <T> List<T> wide(List<T> all) {
		return WIDE.stream().map(all::get).toList();
	}

	private static List<Object> values(List<SqlParameterValue> parameters) {
		return parameters.stream().map(SqlParameterValue::getValue).toList();
	}

	private static String marks(int count) {
		return String.join(", ", java.util.Collections.nCopies(count, "?"));
	}

}

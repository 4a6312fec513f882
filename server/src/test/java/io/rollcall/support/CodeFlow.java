package io.rollcall.support;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's side of one authorization code flow with PKCE at a company's issuer, over plain HTTP, with a
 * browser of its own (cookies): authorize, the company's sign-in page, the code; then the token, introspection and
 * JWKS endpoints as the application calls them.
 */
public final class CodeFlow {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private static final SecureRandom RANDOM = new SecureRandom();

	public final String clientId;

	public final String redirectUri;

	public final String state = random();

	public final String nonce = random();

	public final String verifier = random() + random();

	/** The person's browser: its cookies are its Rollcall session at the company. */
	public final RollcallClient browser;

	private final int port;

	private final String host;

	/** At the company's issuer, {@code http://{slug}.localhost:{port}}. */
	public CodeFlow(int port, TestCompany company, String clientId, String redirectUri) {
		this(port, company.slug() + ".localhost:" + port, clientId, redirectUri);
	}

	public CodeFlow(int port, String host, String clientId, String redirectUri) {
		this.port = port;
		this.host = host;
		this.clientId = clientId;
		this.redirectUri = redirectUri;
		this.browser = new RollcallClient(port);
	}

	/** The same browser and client at another issuer (another company's host). */
	public CodeFlow at(TestCompany company) {
		return new CodeFlow(this.port, company.slug() + ".localhost:" + this.port, this.clientId, this.redirectUri);
	}

	public String issuer() {
		return "http://" + this.host;
	}

	public String authorizePath(String scope) {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("response_type", "code");
		query.put("client_id", this.clientId);
		query.put("redirect_uri", this.redirectUri);
		query.put("scope", scope);
		query.put("state", this.state);
		query.put("nonce", this.nonce);
		query.put("code_challenge", challenge(this.verifier));
		query.put("code_challenge_method", "S256");
		return "/oauth2/authorize?" + form(query);
	}

	/** The authorize request as the browser sends it, and nothing more. */
	public Response authorize(String scope) {
		return this.browser.page(this.host, authorizePath(scope));
	}

	/** The browser's way: authorize, the sign-in page, back to authorize, the redirect with the code. */
	public String signInAndAuthorize(String email, String password) {
		return signInAndAuthorize(email, password, "openid profile email rollcall");
	}

	public String signInAndAuthorize(String email, String password, String scope) {
		Response toSignIn = authorize(scope);
		assertThat(toSignIn.status()).as(toSignIn.body()).isEqualTo(302);
		assertThat(URI.create(toSignIn.header("Location")).getPath()).isEqualTo("/login");
		String csrf = csrf(this.browser.page(this.host, "/login").body());
		Response signedIn = this.browser.form(this.host, "/login",
				Map.of("email", email, "password", password, "_csrf", csrf));
		assertThat(signedIn.status()).isEqualTo(302);
		URI back = URI.create(signedIn.header("Location"));
		assertThat(back.getPath()).as("back to the authorize request").isEqualTo("/oauth2/authorize");
		return codeFrom(this.browser.page(this.host, back.getRawPath() + "?" + back.getRawQuery()));
	}

	/** For a browser already signed in: authorize answers with the code at once. */
	public String authorizeSignedIn(String scope) {
		return codeFrom(authorize(scope));
	}

	private String codeFrom(Response answer) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(302);
		URI callback = URI.create(answer.header("Location"));
		assertThat(callback.toString()).startsWith(this.redirectUri).doesNotContain("error=");
		Map<String, String> params = query(callback);
		assertThat(params).containsEntry("state", this.state);
		return params.get("code");
	}

	/** The code for tokens; {@code secret} null for a public client. */
	public HttpResponse<String> redeem(String code, String secret) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("grant_type", "authorization_code");
		fields.put("code", code);
		fields.put("redirect_uri", this.redirectUri);
		fields.put("code_verifier", this.verifier);
		if (secret == null) {
			fields.put("client_id", this.clientId);
		}
		return post("/oauth2/token", fields, secret);
	}

	public HttpResponse<String> refresh(String refreshToken, String secret) {
		return post("/oauth2/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), secret);
	}

	public HttpResponse<String> introspect(String token, String secret) {
		return post("/oauth2/introspect", Map.of("token", token), secret);
	}

	public HttpResponse<String> post(String path, Map<String, String> fields, String secret) {
		HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(fields)));
		if (secret != null) {
			request.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((this.clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
		}
		return send(request.build());
	}

	/** The ID token, its signature checked against this issuer's JWKS. */
	public JWTClaimsSet verify(String idToken) throws Exception {
		JWKSet keys = JWKSet.parse(send(request("/oauth2/jwks").GET().build()).body());
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
		return processor.process(idToken, null);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Host", this.host);
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A learner of the company with a password, set through their invitation; their e-mail. */
	public static String learnerWithPassword(RollcallClient client, GreenMail mail, int port, TestCompany company,
			String firstName, String lastName, String password) throws Exception {
		String email = firstName.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		Response created = client.api(company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", firstName, "lastName", lastName, "role", "learner", "invite",
						true));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		acceptInvitation(port, company, Mails.invitationLink(Mails.awaitTo(mail, email)), password);
		return email;
	}

	/** Chooses the password through an invitation link. */
	public static void acceptInvitation(int port, TestCompany company, String link, String password) {
		String path = URI.create(link).getPath();
		String slugHost = company.slug() + ".localhost";
		RollcallClient invitee = new RollcallClient(port);
		String csrf = csrf(invitee.page(slugHost, path).body());
		Response accepted = invitee.form(slugHost, path,
				Map.of("password", password, "confirmation", password, "_csrf", csrf));
		assertThat(accepted.header("Location")).endsWith("/login?welcome");
	}

	public static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	public static Map<String, String> query(URI uri) {
		return Arrays.stream(uri.getRawQuery().split("&"))
			.map(pair -> pair.split("=", 2))
			.collect(Collectors.toMap(p -> p[0],
					p -> p.length < 2 ? "" : URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
	}

	public static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	/** The PKCE S256 challenge of a verifier (RFC 7636 §4.2). */
	public static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** 24 random bytes, base64url: a state, a nonce or a PKCE verifier. */
	public static String random() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}

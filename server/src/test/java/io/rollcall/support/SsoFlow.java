package io.rollcall.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on over plain HTTP, as a browser goes through it: the sign-in page's button, Rollcall's redirect to the
 * provider, the provider's answer (an emulator signing in its user by {@code login_hint}), Rollcall's callback.
 */
public final class SsoFlow {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final HttpClient PLAIN = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private SsoFlow() {
	}

	/** Signs in at the company's host as the provider's user {@code login}, and checks Rollcall let them in. */
	public static void signIn(int port, TestCompany company, String login) {
		RollcallClient browser = new RollcallClient(port);
		String host = company.slug() + ".localhost";
		String csrf = csrf(browser.page(host, "/login").body());
		Response started = browser.form(host, "/sso/start", java.util.Map.of("_csrf", csrf));
		Response redirect = browser.page(host, pathAndQuery(started.header("Location")));
		assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
		String authorization = redirect.header("Location") + "&login_hint="
				+ URLEncoder.encode(login, StandardCharsets.UTF_8);
		String callback;
		try {
			HttpResponse<String> answer = PLAIN.send(HttpRequest.newBuilder(URI.create(authorization)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
			callback = answer.headers().firstValue("Location").orElseThrow();
		}
		catch (java.io.IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		assertThat(callback).doesNotContain("error=");
		Response landed = browser.page(host, pathAndQuery(callback));
		assertThat(pathAndQuery(landed.header("Location"))).as("signed in").isEqualTo("/");
	}

	/** How the person's identity in the source was linked ({@code sync}, {@code sign-in}); null when not linked. */
	public static String linkedBy(JdbcClient jdbc, UUID personId, String source) {
		return jdbc.sql("select linked_by from person_identity where person_id = :p and source = :s")
			.param("p", personId)
			.param("s", source)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** How the person's identities came to be linked, oldest first, from the audit: "action: from -> to" of linkedBy. */
	public static java.util.List<String> linkHistory(JdbcClient jdbc, UUID personId) {
		return jdbc
			.sql("""
					select action || ': ' || coalesce(changes -> 'linkedBy' ->> 'from', '-') || ' -> ' || (changes -> 'linkedBy' ->> 'to')
					from audit_entry where subject_id = :p and changes -> 'linkedBy' is not null order by id
					""")
			.param("p", personId)
			.query(String.class)
			.list();
	}

	private static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	private static String pathAndQuery(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

}

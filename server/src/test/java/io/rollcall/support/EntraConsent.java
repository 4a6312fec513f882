package io.rollcall.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entra ID's admin consent as a company's owner gives it to a packaged node ({@link JarNode}), over HTTP alone: the
 * owner accepts the invitation and signs in, asks for the consent URL, opens it at the emulator (which approves at
 * once) and brings its answer back. Subscriptions are made as it completes.
 */
public final class EntraConsent {

	private EntraConsent() {
	}

	/**
	 * @param invitationUrl the {@code ownerInvitationUrl} the company was made with
	 * @param apiKey {@code Bearer ...}
	 */
	public static void give(JarNode node, String slug, String ownerEmail, String invitationUrl, String apiKey)
			throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		String host = slug + ".localhost";
		String invitation = URI.create(invitationUrl).getRawPath();
		String password = "consent password 0123456789";
		String page = page(browser, node, host, invitation, null).body();
		page(browser, node, host, invitation,
				"password=" + enc(password) + "&confirmation=" + enc(password) + "&_csrf=" + enc(csrf(page)));
		String login = page(browser, node, host, "/login", null).body();
		page(browser, node, host, "/login",
				"email=" + enc(ownerEmail) + "&password=" + enc(password) + "&_csrf=" + enc(csrf(login)));
		HttpResponse<String> consent = node.send("POST", host, "/api/v1/integrations/entra/authorisation", apiKey,
				null, null);
		Matcher url = Pattern.compile("\"consentUrl\":\"([^\"]+)\"").matcher(consent.body());
		assertThat(url.find()).as("a consent URL in %s", consent.body()).isTrue();
		HttpResponse<String> approved = browser.send(HttpRequest.newBuilder(URI.create(url.group(1))).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		URI back = URI.create(approved.headers()
			.firstValue("Location")
			.orElseThrow(() -> new AssertionError("The consent page did not send the admin back: "
					+ approved.statusCode() + " " + approved.body())));
		page(browser, node, host, back.getRawPath() + "?" + back.getRawQuery(), null);
		String state = node.get(host, "/api/v1/integrations/entra", apiKey).body();
		assertThat(state).as("authorised after the consent round trip").contains("\"authorised\":true");
	}

	private static HttpResponse<String> page(HttpClient browser, JarNode node, String host, String path, String form)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
			.header("Host", host)
			.header("Accept", "text/html");
		if (form == null) {
			request.GET();
		}
		else {
			request.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form));
		}
		return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String csrf(String html) {
		Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
		assertThat(m.find()).as("a CSRF token on the page").isTrue();
		return m.group(1);
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

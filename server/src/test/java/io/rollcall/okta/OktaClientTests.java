package io.rollcall.okta;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rollcall.connector.ProviderException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the Okta client reads Okta's errors: only E0000007 naming the resource means it does not exist. */
class OktaClientTests {

	private static final String APP_USER = "/api/v1/apps/0oa1/users/00u2";

	private HttpServer server;

	private String base;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void findWhenE0000007NamesTheAppUserThenEmpty() {
		answer(404, error("E0000007", "Not found: Resource not found: 00u2 (AppUser)"));

		assertThat(client().find(APP_USER, "00u2", "AppUser")).isEmpty();
	}

	@Test
	void findWhenE0000022ThenThrowsNamingTheCodeAndWhatToCheck() {
		answer(404, error("E0000022", "The endpoint does not support the provided HTTP method"));

		assertThatThrownBy(() -> client().find(APP_USER, "00u2", "AppUser"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Okta answered E0000022 (The endpoint does not support the provided HTTP method) for GET "
					+ APP_USER
					+ "; check the org URL, the app's id and the token's permissions");
	}

	@Test
	void findWhenE0000006ThenThrowsSayingTheTokenLacksAPermission() {
		answer(403, error("E0000006", "You do not have permission to perform the requested action"));

		assertThatThrownBy(() -> client().find(APP_USER, "00u2", "AppUser"))
			.isInstanceOf(ProviderException.class)
			.hasMessageStartingWith(
					"Okta answered E0000006 (You do not have permission to perform the requested action) for GET "
							+ APP_USER + "; the token lacks a permission");
	}

	@Test
	void findWhenE0000007NamesTheAppInsteadThenThrows() {
		answer(404, error("E0000007", "Not found: Resource not found: 0oa1 (AppInstance)"));

		assertThatThrownBy(() -> client().find(APP_USER, "00u2", "AppUser"))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("E0000007")
			.hasMessageContaining("(AppInstance)");
	}

	@Test
	void findWhen404WithoutOktasErrorBodyThenThrows() {
		answer(404, "<html>Not Found</html>");

		assertThatThrownBy(() -> client().find(APP_USER, "00u2", "AppUser"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Okta answered HTTP 404 for GET " + APP_USER
					+ "; check the org URL, the app's id and the token's permissions");
	}

	@Test
	void errorWhenTokenIsWrongThenTheTokenNeverAppearsInTheMessage() {
		answer(401, error("E0000011", "Invalid token provided"));

		assertThatThrownBy(() -> client().find(APP_USER, "00u2", "AppUser"))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("E0000011")
			.hasMessageNotContaining("ssws-secret");
	}

	private OktaClient client() {
		OktaHttp okta = new OktaHttp(2, Duration.ofSeconds(1));
		return okta.client(new OktaConnection(null, this.base, "org", "token", "ssws-secret", null, null, "0oa1", false,
				"pictureUrl", false, "03:00", 0));
	}

	private void answer(int status, String body) {
		this.server.createContext("/api/v1", exchange -> send(exchange, status, body));
	}

	private static String error(String code, String summary) {
		return "{\"errorCode\":\"" + code + "\",\"errorSummary\":\"" + summary + "\",\"errorLink\":\"" + code
				+ "\",\"errorId\":\"oae1\",\"errorCauses\":[]}";
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json" : "text/html");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}

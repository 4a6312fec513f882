package io.rollcall.scim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.support.ServletRequestHandledEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCIM's Users and Groups are answered by {@link ScimEndpointFilter}, without Spring MVC's dispatch, and as MVC
 * answered them; the rest of SCIM is still MVC's.
 */
class ScimEndpointFilterTests extends IntegrationTest {

	@Autowired
	private ConfigurableApplicationContext context;

	@Test
	void usersAndGroupsWhenRequestedThenAnsweredWithoutSpringMvc() throws InterruptedException {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		// Spring MVC's DispatcherServlet announces every request it handled.
		Queue<String> dispatched = new ConcurrentLinkedQueue<>();
		ApplicationListener<ServletRequestHandledEvent> listener = event -> dispatched
			.add(event.getMethod() + " " + event.getRequestUrl());
		this.context.addApplicationListener(listener);
		try {
			Response created = scim.send("POST", "/Users", Map.of("schemas", List.of(ScimTestClient.USER), "userName",
					"ada@dispatch.test", "emails", List.of(Map.of("value", "ada@dispatch.test"))));
			assertThat(created.status()).isEqualTo(201);
			String id = created.json().path("id").asString();
			assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"ada@dispatch.test\"")).status())
				.isEqualTo(200);
			assertThat(scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(ScimTestClient.PATCH), "Operations",
					List.of(Map.of("op", "replace", "path", "title", "value", "Analyst"))))
				.status()).isEqualTo(200);
			assertThat(scim.get("/Groups").status()).isEqualTo(200);
			assertThat(scim.get("/ServiceProviderConfig").status()).isEqualTo(200);
			// MVC announces a request after its answer has gone out: wait for the one it still serves.
			for (long end = System.nanoTime() + 5_000_000_000L; !dispatched
				.contains("GET /scim/v2/ServiceProviderConfig") && System.nanoTime() < end;) {
				Thread.sleep(20);
			}
			assertThat(dispatched).contains("GET /scim/v2/ServiceProviderConfig")
				.noneMatch(request -> request.contains("/scim/v2/Users") || request.contains("/scim/v2/Groups"));
		}
		finally {
			this.context.removeApplicationListener(listener);
		}
	}

	/** MVC compared If-None-Match weakly: the version without its W/ is the same version. */
	@Test
	void userWhenIfNoneMatchNamesItsVersionWithoutWeakMarkThenNotModified() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response created = scim.send("POST", "/Users", Map.of("schemas", List.of(ScimTestClient.USER), "userName",
				"grace@dispatch.test", "emails", List.of(Map.of("value", "grace@dispatch.test"))));
		String version = created.header("ETag");
		assertThat(version).startsWith("W/\"");
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create(
						"http://127.0.0.1:" + this.port + "/scim/v2/Users/" + created.json().path("id").asString()))
				.header("Host", scim.company.slug() + ".localhost")
				.header("Authorization", "Bearer " + scim.token)
				.header("If-None-Match", version.substring(2))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(304);
		assertThat(answer.headers().firstValue("ETag")).hasValue(version);
		assertThat(answer.body()).isEmpty();
	}

}

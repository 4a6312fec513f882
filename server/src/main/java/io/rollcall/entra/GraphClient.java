package io.rollcall.entra;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import io.rollcall.connector.NextPage;
import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderHttp;
import io.rollcall.connector.ReceivedBody;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * A thin client of Microsoft Graph v1.0 for one tenant and app registration: client-credentials tokens, pages read
 * one at a time and parsed as a stream (memory holds one page, whatever the group's size), {@code @odata.nextLink}
 * followed exactly as returned, and one retry policy: 429 and 503 wait as long as {@code Retry-After} says, other
 * 5xx answers and dropped connections are retried a few times with exponential backoff and jitter, then the call
 * fails with a message an admin understands.
 */
final class GraphClient {

	/** Graph's largest page for directory objects. */
	static final int PAGE_SIZE = 999;

	/** Graph's "the object does not exist" for directory objects (a deleted user, an unknown group, no manager). */
	static final String RESOURCE_NOT_FOUND = "Request_ResourceNotFound";

	private final ProviderHttp http;

	private final Graph graph;

	private final GraphCloud cloud;

	private final String tenantId;

	private final String clientId;

	private final String clientSecret;

	private final String tokenKey;

	GraphClient(Graph graph, ProviderHttp http, GraphCloud cloud, String tenantId, String clientId,
			String clientSecret) {
		this.graph = graph;
		this.http = http;
		this.cloud = cloud;
		this.tenantId = tenantId;
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.tokenKey = ProviderHttp.tokenKey(clientSecret, cloud.authority(), tenantId, clientId);
	}

	GraphCloud cloud() {
		return this.cloud;
	}

	/** A page's items and its continuation: the next page's link or, for delta queries, the delta link. */
	record Page<T>(List<T> items, String nextLink, String deltaLink) {
	}

	/**
	 * Reads every page from {@code pathOrUrl} on, handing each page's items to {@code handler}, in order. The next page
	 * is fetched while this one's items are handled, so Graph's answer time and Rollcall's work overlap (as Okta's
	 * pages do): memory holds two pages at most.
	 *
	 * @return the {@code @odata.deltaLink} of the last page, or null when there is none
	 */
	String forEachPage(String pathOrUrl, boolean eventual, Consumer<List<JsonNode>> handler) {
		return forEachPage(pathOrUrl, eventual, this.http.json()::readTree, handler);
	}

	/** As {@link #forEachPage(String, boolean, Consumer)}, each item made by {@code item} (see {@link #page}). */
	<T> String forEachPage(String pathOrUrl, boolean eventual, Function<JsonParser, T> item,
			Consumer<List<T>> handler) {
		Page<T> page = page(url(pathOrUrl), eventual, item);
		while (true) {
			String next = page.nextLink();
			NextPage<Page<T>> prefetch = next == null ? null
					: NextPage.fetch("Graph", () -> page(next, eventual, item));
			try {
				handler.accept(page.items());
			}
			finally {
				if (prefetch != null) {
					prefetch.cancelIfInterrupted();
				}
			}
			if (prefetch == null) {
				return page.deltaLink();
			}
			page = prefetch.take();
		}
	}

	/**
	 * One page, each item made by {@code item} from the parser at the item's start (leaving it at the item's end), so
	 * that a listing of users need not make a tree of each.
	 */
	<T> Page<T> page(String url, boolean eventual, Function<JsonParser, T> item) {
		HttpResponse<ReceivedBody> response = this.http.callForPage(this.graph,
				this.http.bearer(this::token, this.tokenKey), header -> request("GET", url, null, eventual, header),
				"GET " + path(url));
		List<T> items = new ArrayList<>();
		Map<String, String> links = new HashMap<>();
		this.http.readPage(this.graph, response, "value", item, items::add, (name, parser) -> {
			if ("@odata.nextLink".equals(name) || "@odata.deltaLink".equals(name)) {
				links.put(name, parser.getString());
			}
			else {
				parser.skipChildren();
			}
		});
		return new Page<>(items, links.get("@odata.nextLink"), links.get("@odata.deltaLink"));
	}

	/** Reads a user the parser is at, for {@link #page} and {@link #forEachPage}: no tree of each user. */
	GraphUser user(JsonParser parser) {
		return GraphUser.read(parser, this.http.json());
	}

	JsonNode get(String pathOrUrl) {
		return json(call("GET", url(pathOrUrl), null, false, true));
	}

	/**
	 * The directory object, or empty when Graph says it does not exist (404 {@code Request_ResourceNotFound}). Every
	 * other error, a 404 with another code or none included, throws: it says nothing about the object.
	 */
	Optional<JsonNode> find(String pathOrUrl) {
		try {
			return Optional.of(get(pathOrUrl));
		}
		catch (ProviderException ex) {
			if (ex.notFound(RESOURCE_NOT_FOUND)) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** A photo's metadata, or empty on any 404 (no photo, no mailbox): for a photo that means no photo, nothing more. */
	Optional<JsonNode> findPhoto(String pathOrUrl) {
		try {
			return Optional.of(get(pathOrUrl));
		}
		catch (ProviderException ex) {
			if (ex.notFound()) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** Binary content such as a photo, or empty on any 404 (only for what may be absent without meaning more). */
	Optional<Binary> binary(String pathOrUrl) {
		try {
			HttpResponse<byte[]> response = call("GET", url(pathOrUrl), null, false, true);
			return Optional.of(new Binary(response.body(),
					response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
					response.headers().firstValue("ETag").orElse(null)));
		}
		catch (ProviderException ex) {
			if (ex.notFound()) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** @param etag the photo's etag when Graph sends one, so a first download needs no metadata call */
	record Binary(byte[] content, String contentType, String etag) {
	}

	JsonNode post(String path, Object body) {
		return json(call("POST", url(path), body, false, false));
	}

	JsonNode patch(String path, Object body) {
		return json(call("PATCH", url(path), body, false, false));
	}

	void delete(String path) {
		call("DELETE", url(path), null, false, false);
	}

	/** A token for Graph, from the cache while it has more than five minutes left. */
	String token() {
		if (this.clientSecret == null || this.clientSecret.isBlank()) {
			throw new ProviderException(0, "no_secret",
					"No client secret is set for the app registration; enter it in the Entra ID settings");
		}
		String form = "client_id=" + enc(this.clientId) + "&client_secret=" + enc(this.clientSecret) + "&scope="
				+ enc(this.cloud.scope()) + "&grant_type=client_credentials";
		return this.http.token(this.graph, this.tokenKey, this.cloud.tokenUrl(this.tenantId), form);
	}

	private HttpResponse<byte[]> call(String method, String url, Object body, boolean eventual, boolean read) {
		return this.http.call(this.graph, this.http.bearer(this::token, this.tokenKey),
				header -> request(method, url, body, eventual, header), method + " " + path(url));
	}

	private HttpRequest request(String method, String url, Object body, boolean eventual, String authorization) {
		HttpRequest.Builder request = ProviderHttp.request(url).header("Authorization", authorization);
		if (eventual) {
			request.header("ConsistencyLevel", "eventual");
		}
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofByteArray(this.http.json().writeValueAsBytes(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return request.build();
	}

	private JsonNode json(HttpResponse<byte[]> response) {
		return this.http.readJson(response.body());
	}

	/** A path relative to Graph's base, or an absolute link Graph gave (used exactly as given). */
	String url(String pathOrUrl) {
		return ProviderHttp.url(this.cloud.graph(), pathOrUrl);
	}

	private static String path(String url) {
		return ProviderHttp.path(url);
	}

	static String enc(String value) {
		return ProviderHttp.enc(value);
	}

}

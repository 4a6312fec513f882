package io.rollcall.scim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of malformed filters, bodies and PATCH documents from a seeded generator (the seed is in every failure
 * message, so a failure replays): none may get a 5xx, and none that is refused may change anything.
 */
class ScimFuzzTests extends IntegrationTest {

	private static final long SEED = Long.getLong("scim.fuzz.seed", 20261123L);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String[] ATTRIBUTES = { "userName", "USERNAME", "externalId", "id", "active", "title",
			"name.givenName", "name.familyName", "emails", "emails.value", "emails.type", "meta.created",
			"meta.lastModified", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "members", "members.value",
			"nickName",
			"x", "name..givenName", "emails[type eq \"work\"]", "urn:bogus:thing", "phoneNumbers.value", "displayName",
			"", "ü", "a.b.c.d" };

	private static final String[] OPERATORS = { "eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le", "EQ", "Eq",
			"xx", "=", "" };

	private static final String[] VALUES = { "\"x\"", "\"\"", "\"a\\\"b\"", "\"unterminated", "true", "false", "null",
			"42", "-1.5e9", "\"2024-01-01T00:00:00Z\"", "\"not-a-date\"", "\"%_\\\\\"",
			"\"00000000-0000-0000-0000-000000000000\"",
			"[", "]", "(", ")", "\"ÿ😀\"", "'single'", "TRUE" };

	private static final String[] JOINERS = { "and", "or", "not", "AND", "Or", "(", ")", "[", "]", ".", " ", "\t" };

	@Test
	void requestsWhenMalformedThenNeverServerErrorAndRefusedOnesChangeNothing() throws Exception {
		Random random = new Random(SEED);
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String sentinel = ScimInteropTests.create(scim, ScimInteropTests.entraUser("sentinel", "sentinel@fuzz.test",
				"Sam", "Sentinel", "Ops"))
			.path("id")
			.asString();
		String groupId = scim.send("POST", "/Groups", Map.of("displayName", "Fuzzers", "members",
				List.of(Map.of("value", sentinel))))
			.json()
			.path("id")
			.asString();
		int people = peopleCount(scim);
		int created = 0;
		int requests = 0;

		for (int i = 0; i < 1500; i++) {
			String filter = filter(random);
			Response response = scim.get("/Users?filter=" + ScimTestClient.q(filter) + "&sortBy="
					+ ScimTestClient.q(pick(random, ATTRIBUTES))
					+ "&startIndex=" + (random.nextInt(5) - 1) + "&count=" + (random.nextInt(5) - 1));
			requests++;
			assertNoServerError(response, "GET /Users filter " + filter);
			if (response.status() == 400) {
				assertThat(response.json().path("status").asString()).isEqualTo("400");
			}
			Response groups = scim.get("/Groups?filter=" + ScimTestClient.q(filter));
			requests++;
			assertNoServerError(groups, "GET /Groups filter " + filter);
		}

		for (int i = 0; i < 800; i++) {
			String body = mutatedUser(random);
			Response response = scim.send("POST", "/Users", body);
			requests++;
			assertNoServerError(response, "POST /Users " + body);
			if (response.status() == 201) {
				created++;
			}
		}
		assertThat(peopleCount(scim)).as("seed " + SEED).isEqualTo(people + created);

		for (int i = 0; i < 1500; i++) {
			String before = scim.get("/Users/" + sentinel).json().path("meta").path("version").asString();
			String body = patch(random);
			Response response = scim.send("PATCH", "/Users/" + sentinel, body);
			requests++;
			assertNoServerError(response, "PATCH " + body);
			if (response.status() >= 400) {
				String after = scim.get("/Users/" + sentinel).json().path("meta").path("version").asString();
				assertThat(after).as("seed " + SEED + ": refused PATCH changed the user: " + body).isEqualTo(before);
			}
			else if (!scim.get("/Users/" + sentinel).json().path("userName").asString().equals("sentinel@fuzz.test")) {
				// A valid PATCH may rename the sentinel; put it back so refusals stay comparable.
				scim.send("PATCH", "/Users/" + sentinel, Map.of("Operations",
						List.of(Map.of("op", "replace", "path", "userName", "value", "sentinel@fuzz.test"))));
			}
		}

		for (int i = 0; i < 500; i++) {
			String before = scim.get("/Groups/" + groupId).body();
			String body = patch(random);
			Response response = scim.send("PATCH", "/Groups/" + groupId, body);
			requests++;
			assertNoServerError(response, "PATCH group " + body);
			if (response.status() >= 400) {
				assertThat(scim.get("/Groups/" + groupId).body()).as("seed " + SEED + ": " + body).isEqualTo(before);
			}
		}
		assertThat(requests).isGreaterThanOrEqualTo(5000);
	}

	private static void assertNoServerError(Response response, String what) {
		assertThat(response.status()).as("seed " + SEED + ": " + what + " -> " + response.body()).isLessThan(500);
	}

	private int peopleCount(ScimTestClient scim) {
		return scim.get("/Users?count=0").json().path("totalResults").asInt();
	}

	private static String filter(Random random) {
		if (random.nextInt(10) == 0) {
			return randomText(random, random.nextInt(30));
		}
		StringBuilder filter = new StringBuilder();
		int terms = 1 + random.nextInt(4);
		for (int t = 0; t < terms; t++) {
			if (t > 0) {
				filter.append(' ').append(pick(random, JOINERS)).append(' ');
			}
			if (random.nextInt(6) == 0) {
				filter.append("not (");
			}
			filter.append(pick(random, ATTRIBUTES));
			if (random.nextInt(8) == 0) {
				filter.append('[')
					.append(pick(random, ATTRIBUTES))
					.append(' ')
					.append(pick(random, OPERATORS))
					.append(' ')
					.append(pick(random, VALUES))
					.append(']');
			}
			filter.append(' ').append(pick(random, OPERATORS));
			if (random.nextInt(5) != 0) {
				filter.append(' ').append(pick(random, VALUES));
			}
			if (filter.indexOf("not (") >= 0 && random.nextBoolean()) {
				filter.append(')');
			}
		}
		return filter.toString();
	}

	private static String mutatedUser(Random random) throws Exception {
		Map<String, Object> user = new LinkedHashMap<>(ScimInteropTests.entraUser("f" + random.nextInt(1_000_000),
				"f" + random.nextInt(1_000_000) + "@fuzz.test", "F", "Uzz", "Dept" + random.nextInt(3)));
		List<String> keys = new ArrayList<>(user.keySet());
		keys.add("active");
		keys.add("userName");
		for (int m = 0; m < 1 + random.nextInt(3); m++) {
			user.put(keys.get(random.nextInt(keys.size())), strangeValue(random));
		}
		String json = JSON.writeValueAsString(user);
		return switch (random.nextInt(4)) {
			case 0 -> json.substring(0, random.nextInt(json.length())); // cut short
			case 1 -> {
				StringBuilder broken = new StringBuilder(json);
				broken.insert(random.nextInt(json.length()), randomText(random, 3));
				yield broken.toString();
			}
			default -> json;
		};
	}

	private static Object strangeValue(Random random) {
		return switch (random.nextInt(10)) {
			case 0 -> null;
			case 1 -> random.nextInt();
			case 2 -> List.of(randomText(random, 5), Map.of());
			case 3 -> Map.of("value", List.of(1, 2));
			case 4 -> "x".repeat(random.nextInt(3000));
			case 5 -> "True";
			case 6 -> "not-an-email";
			case 7 -> List.of(Map.of("value", "12345", "type", "work"));
			case 8 -> true;
			default -> randomText(random, random.nextInt(20));
		};
	}

	private static String patch(Random random) throws Exception {
		if (random.nextInt(12) == 0) {
			return randomText(random, random.nextInt(60));
		}
		List<Object> operations = new ArrayList<>();
		for (int o = 0; o < 1 + random.nextInt(3); o++) {
			Map<String, Object> operation = new LinkedHashMap<>();
			operation.put("op",
					pick(random, new String[] { "add", "Add", "replace", "Replace", "remove", "REMOVE", "move",
							"", "copy" }));
			if (random.nextInt(4) != 0) {
				String path = pick(random, ATTRIBUTES);
				if (random.nextInt(4) == 0) {
					path = path + "[" + pick(random, ATTRIBUTES) + " " + pick(random, OPERATORS) + " "
							+ pick(random, VALUES) + "]";
				}
				if (random.nextInt(5) == 0) {
					path = path + "." + pick(random, ATTRIBUTES);
				}
				operation.put("path", random.nextInt(15) == 0 ? (Object) random.nextInt() : path);
			}
			if (random.nextInt(5) != 0) {
				Object value = strangeValue(random);
				operation.put("value", random.nextBoolean() ? value
						: Map.of(pick(random, ATTRIBUTES), value == null ? "v" : value));
			}
			operations.add(random.nextInt(20) == 0 ? "op" : operation);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		if (random.nextInt(5) != 0) {
			body.put("schemas",
					List.of(random.nextInt(6) == 0 ? "urn:wrong" : "urn:ietf:params:scim:api:messages:2.0:PatchOp"));
		}
		body.put(random.nextInt(10) == 0 ? "operations" : "Operations",
				random.nextInt(15) == 0 ? Map.of() : operations);
		return JSON.writeValueAsString(body);
	}

	private static String randomText(Random random, int length) {
		String alphabet = "abcXYZ019 \"'[](){}.,:;\\/%_&=<>!?-+*@#~`^|\u00e9\u0000\n\t\u2028😀";
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private static String pick(Random random, String[] options) {
		return options[random.nextInt(options.length)];
	}

}

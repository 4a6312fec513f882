package io.rollcall.entra;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import io.rollcall.connector.PageAnswer;
import io.rollcall.connector.ProviderHttp;
import io.rollcall.mapping.SourceRecord;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users read straight from a page's parser are the users their trees give, whatever Graph (or something posing as it)
 * sends: odd values, unknown and nested fields, escapes, and pages cut off or garbled anywhere.
 */
class GraphUserTests {

	private static final URI PAGE_URI = URI
		.create("https://graph.microsoft.com/v1.0/groups/g/transitiveMembers/microsoft.graph.user");

	private final Graph graph = new Graph(1, Duration.ofSeconds(1));

	private final ProviderHttp http = new ProviderHttp(1, Duration.ofSeconds(1));

	/** Users as Graph sends them, and as it might: each line one user object. */
	private static final List<String> USERS = List.of("""
			{"id":"u1","accountEnabled":true,"givenName":"Ada","surname":"Lovelace","displayName":"Ada Lovelace",\
			"userPrincipalName":"ada@example.com","mail":"ada@example.com","jobTitle":"Engineer","department":"R&D",\
			"officeLocation":"London","preferredLanguage":"en-GB","employeeId":"E1",\
			"employeeHireDate":"2021-03-01T00:00:00Z","companyName":"Example","mobilePhone":"+44 1",\
			"businessPhones":["+44 2","+44 3"],"manager":{"@odata.type":"#microsoft.graph.user","id":"m1"}}""",
			"""
					{"@odata.type":"#microsoft.graph.user","id":"u2","accountEnabled":false,"businessPhones":[],\
					"manager":null,"givenName":null,"surname":"","employeeHireDate":"2021-03-01"}""",
			"""
					{"id":"u3","extra":{"nested":[1,{"deep":[true,null,"x"]}],"id":"not-me"},"manager":{"id":"m3",\
					"displayName":"Boss","manager":{"id":"m-of-m"},"extra":[{"id":"no"}]},"accountEnabled":"false",\
					"givenName":"J\\u00e9r\\u00f4me \\ud83d\\ude00","surname":"O\\"Brien\\\\","businessPhones":"555",\
					"employeeId":12345,"mobilePhone":1.50,"jobTitle":-0,"department":1e3,"officeLocation":true,\
					"companyName":123456789012345678901234567890,"mail":{"a":1},"displayName":["x"]}""",
			"""
					{"id":"u4","givenName":"first","givenName":{"x":1},"surname":{"x":1},"surname":"last",\
					"manager":{"id":"m4"},"manager":{"displayName":"no id"},"accountEnabled":false,"accountEnabled":true,\
					"businessPhones":[null,"b"],"mobilePhone":[],"employeeHireDate":"2021-03-01T00:00:00Z-and-more"}""",
			"""
					{"id":7,"businessPhones":[42,"b"],"manager":{"id":99},"employeeHireDate":20210301123}""",
			"""
					{"id":null,"businessPhones":[true],"manager":{"id":null},"accountEnabled":null}""",
			"""
					{"businessPhones":[1.0e0,"b"],"manager":"m5","givenName":"no id"}""",
			"""
					{"id":"u8","businessPhones":null,"manager":[{"id":"m8"}],"mail":"a@b"}""", """
					{"id":"u9","id":"u9b","manager":{"id":"m9","id":"m9b"},"id":1.0,"manager":{"id":{"x":1}}}""", """
					{"id":"u10","manager":{"id":["m10"]}}""", """
					{}""");

	/**
	 * Users Graph would never send, whose reading fails (an object or array cannot be text): the same way, and as
	 * before, when their record is made, not as a page Graph sent wrong.
	 */
	private static final List<String> UNREADABLE = List.of("""
			{"id":"u11","businessPhones":[{"n":"1"}]}""", """
			{"id":{"x":"y"}}""", """
			{"id":["u13"]}""", """
			{"businessPhones":[["+1"]]}""");

	@Test
	void readWhenUsersHaveOddValuesThenTheyAreTheUsersTheirTreesGive() {
		for (String user : USERS) {
			assertThat(outcome(user, this::streamed)).as(user).isEqualTo(outcome(user, this::fromTree));
		}
		for (String user : UNREADABLE) {
			assertThat(outcome(user, this::streamed)).as(user)
				.isEqualTo(outcome(user, this::fromTree))
				.asString()
				.startsWith("tools.jackson.databind.exc.JsonNodeException")
				.contains("cannot coerce");
		}
	}

	@Test
	void readWhenGraphSendsAUserThenItsFieldsAreItsTextTheFirstPhoneAndTheDateOfHire() {
		List<GraphUser> users = read(page(USERS.get(0), USERS.get(2), USERS.get(3)), this::streamed);

		SourceRecord ada = users.get(0).record(users.get(0).managerId(), null);
		assertThat(ada.attributes()).containsEntry("businessPhones", "+44 2")
			.containsEntry("employeeHireDate", "2021-03-01")
			.containsEntry("accountEnabled", "true")
			.hasSize(16);
		assertThat(users.get(0).managerId()).isEqualTo("m1");
		SourceRecord odd = users.get(1).record(users.get(1).managerId(), "/avatar");
		assertThat(odd.attributes()).containsEntry("givenName", "Jérôme \uD83D\uDE00")
			.containsEntry("surname", "O\"Brien\\")
			.containsEntry("businessPhones", "555")
			.containsEntry("employeeId", "12345")
			.containsEntry("mobilePhone", "1.5")
			.containsEntry("accountEnabled", "false")
			.containsEntry("photo", "/avatar")
			.doesNotContainKeys("mail", "displayName");
		assertThat(users.get(1).enabled()).as("only a boolean false disables").isTrue();
		assertThat(users.get(1).managerId()).isEqualTo("m3");
		assertThat(users.get(2).record(null, null).attributes()).as("a field twice: the last stands")
			.doesNotContainKey("givenName")
			.containsEntry("surname", "last")
			.containsEntry("businessPhones", "")
			.doesNotContainKey("mobilePhone");
		assertThat(users.get(2).managerId()).as("the last manager stands").isEmpty();
		assertThat(users.get(2).enabled()).isTrue();
	}

	@Test
	void readPageWhenCutOffAnywhereThenFailsAsTheTreesDo() {
		byte[] page = page(USERS.toArray(String[]::new));
		for (int length = 0; length < page.length; length++) {
			byte[] cut = Arrays.copyOf(page, length);
			assertThat(pageOutcome(cut, this::streamed)).as("cut at %d", length)
				.isEqualTo(pageOutcome(cut, this::fromTree));
		}
	}

	@Test
	void readPageWhenGarbledThenFailsOrReadsAsTheTreesDo() {
		byte[] page = page(USERS.toArray(String[]::new));
		byte[] symbols = "{}[]\":,\\ 0-1.eEtrufalsn\u00e9x".getBytes(StandardCharsets.UTF_8);
		Random random = new Random(19);
		int read = 0;
		for (int i = 0; i < 3000; i++) {
			byte[] garbled = page.clone();
			for (int n = 1 + random.nextInt(2); n > 0; n--) {
				garbled[random.nextInt(garbled.length)] = symbols[random.nextInt(symbols.length)];
			}
			Object streamed = pageOutcome(garbled, this::streamed);
			assertThat(streamed).as(new String(garbled, StandardCharsets.UTF_8))
				.isEqualTo(pageOutcome(garbled, this::fromTree));
			read += streamed instanceof List ? 1 : 0;
		}
		assertThat(read).as("some garbled pages are still JSON, and are read alike").isPositive();
	}

	private GraphUser streamed(JsonParser parser) {
		return GraphUser.read(parser, this.http.json());
	}

	private GraphUser fromTree(JsonParser parser) {
		return GraphUser.of(this.http.json().readTree(parser));
	}

	/** A user's record, id, enablement and manager, or the exception reading them threw. */
	private Object outcome(String user, Function<JsonParser, GraphUser> reader) {
		return pageOutcome(page(user), reader);
	}

	private Object pageOutcome(byte[] page, Function<JsonParser, GraphUser> reader) {
		try {
			return read(page, reader).stream()
				.map(user -> List.of(user.record(user.managerId(), null), user.id(), user.enabled(), user.managerId()))
				.toList();
		}
		catch (RuntimeException ex) {
			return ex.getClass().getName() + ": " + ex.getMessage();
		}
	}

	private List<GraphUser> read(byte[] page, Function<JsonParser, GraphUser> reader) {
		List<GraphUser> users = new ArrayList<>();
		this.http.readPage(this.graph, new PageAnswer<>(PAGE_URI, page), "value", reader, users::add,
				(name, parser) -> {
					parser.skipChildren();
				});
		return users;
	}

	private static byte[] page(String... users) {
		return ("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users\",\"value\":["
				+ String.join(",", users) + "],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/next\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

}

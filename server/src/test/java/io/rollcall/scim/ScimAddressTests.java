package io.rollcall.scim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.rollcall.scim.ScimTestClient.PATCH;
import static io.rollcall.scim.ScimTestClient.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The work address as a generic SCIM client sends it (seed 004's table): streetAddress, locality (the city),
 * postalCode and country are kept on the person; region (the state) is not used: accepted, stored nowhere, and it
 * never breaks a request. Driven by POST, PUT and PATCH (with and without a filtered path), read back through SCIM and
 * the REST API.
 */
class ScimAddressTests extends IntegrationTest {

	private ScimTestClient scim;

	@BeforeEach
	void scim() {
		this.scim = ScimTestClient.enabled(this.client);
	}

	@Test
	void createWhenWorkAddressSentThenEveryFieldKeptAndStateNotUsed() {
		JsonNode created = create("ana", "ana@example.test",
				address("1 Harbour Street", "Porto", "4000-123", "PT", "Norte State"));
		String id = created.path("id").asString();

		JsonNode person = person(id);
		assertThat(person.path("streetAddress").asString()).isEqualTo("1 Harbour Street");
		assertThat(person.path("city").asString()).isEqualTo("Porto");
		assertThat(person.path("postalCode").asString()).isEqualTo("4000-123");
		assertThat(person.path("country").asString()).isEqualTo("PT");
		assertStateStoredNowhere(id, "Norte State");

		JsonNode address = readBack(id);
		assertThat(address.path("type").asString()).isEqualTo("work");
		assertThat(address.path("streetAddress").asString()).isEqualTo("1 Harbour Street");
		assertThat(address.path("locality").asString()).isEqualTo("Porto");
		assertThat(address.path("postalCode").asString()).isEqualTo("4000-123");
		assertThat(address.path("country").asString()).isEqualTo("PT");
		assertThat(address.has("region")).isFalse();
	}

	@Test
	void createWhenOnlyStateSentThenAcceptedAndNoAddressStored() {
		Map<String, Object> onlyState = new LinkedHashMap<>();
		onlyState.put("type", "work");
		onlyState.put("region", "Bavaria-Only");

		String id = create("ben", "ben@example.test", onlyState).path("id").asString();

		JsonNode person = person(id);
		assertThat(person.path("streetAddress").isNull() || person.path("streetAddress").isMissingNode()).isTrue();
		assertThat(person.path("city").isNull() || person.path("city").isMissingNode()).isTrue();
		assertThat(person.path("postalCode").isNull() || person.path("postalCode").isMissingNode()).isTrue();
		assertThat(person.path("country").isNull() || person.path("country").isMissingNode()).isTrue();
		assertStateStoredNowhere(id, "Bavaria-Only");
		assertThat(this.scim.get("/Users/" + id).json().has("addresses")).as("nothing to read back").isFalse();
	}

	@Test
	void createWhenHomeAndWorkAddressesThenTheWorkOneIsKept() {
		Map<String, Object> home = new LinkedHashMap<>();
		home.put("type", "home");
		home.put("streetAddress", "9 Home Lane");
		home.put("locality", "Homeville");
		home.put("postalCode", "99999");
		home.put("country", "FR");
		Map<String, Object> work = address("2 Office Road", "Lyon", "69001", "FR", "Auvergne");
		Response created = this.scim.send("POST", "/Users", user("cy", "cy@example.test", List.of(home, work)));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String id = created.json().path("id").asString();

		JsonNode person = person(id);
		assertThat(person.path("streetAddress").asString()).isEqualTo("2 Office Road");
		assertThat(person.path("city").asString()).isEqualTo("Lyon");
		assertThat(person.path("postalCode").asString()).isEqualTo("69001");
		assertThat(person.path("country").asString()).isEqualTo("FR");
		assertThat(this.scim.get("/Users/" + id).body()).doesNotContain("Homeville").doesNotContain("9 Home Lane");
	}

	@Test
	void putWhenAddressChangesThenEveryFieldFollowsAndStateStillNotUsed() {
		String id = create("dee", "dee@example.test", address("3 Old Street", "Oslo", "0150", "NO", "Viken"))
			.path("id")
			.asString();

		Map<String, Object> replaced = user("dee", "dee@example.test",
				List.of(address("4 New Avenue", "Bergen", "5003", "NO", "Vestland")));
		Response put = this.scim.send("PUT", "/Users/" + id, replaced);
		assertThat(put.status()).as(put.body()).isEqualTo(200);

		JsonNode person = person(id);
		assertThat(person.path("streetAddress").asString()).isEqualTo("4 New Avenue");
		assertThat(person.path("city").asString()).isEqualTo("Bergen");
		assertThat(person.path("postalCode").asString()).isEqualTo("5003");
		assertThat(person.path("country").asString()).isEqualTo("NO");
		assertStateStoredNowhere(id, "Vestland");
		assertStateStoredNowhere(id, "Viken");
		JsonNode address = put.json().path("addresses").get(0);
		assertThat(address.path("locality").asString()).isEqualTo("Bergen");
		assertThat(address.has("region")).isFalse();
	}

	@Test
	void patchWhenFilteredPathNamesEachAddressFieldThenEachIsStored() {
		String id = create("eli", "eli@example.test", address("5 First Street", "Madrid", "28001", "ES", null))
			.path("id")
			.asString();

		Response patched = patch(id, List.of(
				op("replace", "addresses[type eq \"work\"].streetAddress", "6 Second Street"),
				op("replace", "addresses[type eq \"work\"].locality", "Sevilla"),
				op("replace", "addresses[type eq \"work\"].postalCode", "41001"),
				op("replace", "addresses[type eq \"work\"].country", "PT")));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);

		JsonNode person = person(id);
		assertThat(person.path("streetAddress").asString()).isEqualTo("6 Second Street");
		assertThat(person.path("city").asString()).isEqualTo("Sevilla");
		assertThat(person.path("postalCode").asString()).isEqualTo("41001");
		assertThat(person.path("country").asString()).isEqualTo("PT");
		JsonNode address = patched.json().path("addresses").get(0);
		assertThat(address.path("locality").asString()).isEqualTo("Sevilla");
		assertThat(address.path("streetAddress").asString()).isEqualTo("6 Second Street");
	}

	@Test
	void patchWhenOnlyLocalityReplacedThenOtherAddressFieldsKept() {
		String id = create("fay", "fay@example.test", address("7 Quay", "Cork", "T12", "IE", "Munster"))
			.path("id")
			.asString();

		Response patched = patch(id, List.of(op("Replace", "addresses[type eq \"work\"].locality", "Galway")));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);

		JsonNode person = person(id);
		assertThat(person.path("city").asString()).isEqualTo("Galway");
		assertThat(person.path("streetAddress").asString()).isEqualTo("7 Quay");
		assertThat(person.path("postalCode").asString()).isEqualTo("T12");
		assertThat(person.path("country").asString()).isEqualTo("IE");
	}

	@Test
	void patchWhenStateReplacedThenAcceptedAndNothingChanges() {
		String id = create("gus", "gus@example.test", address("8 Main Road", "Austin", "73301", "US", "Texas"))
			.path("id")
			.asString();
		JsonNode before = person(id);

		Response patched = patch(id,
				List.of(op("replace", "addresses[type eq \"work\"].region", "Oregon-Never-Stored")));

		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		JsonNode after = person(id);
		for (String field : List.of("streetAddress", "city", "postalCode", "country", "email", "firstName",
				"lastName")) {
			assertThat(after.path(field)).as(field).isEqualTo(before.path(field));
		}
		assertStateStoredNowhere(id, "Oregon-Never-Stored");
	}

	@Test
	void patchWhenWorkAddressAddedWithoutPathThenEveryFieldStored() {
		String id = create("hal", "hal@example.test", null).path("id").asString();
		assertThat(person(id).path("city").isNull() || person(id).path("city").isMissingNode()).isTrue();

		Response patched = patch(id, List.of(Map.of("op", "add", "value",
				Map.of("addresses",
						List.of(address("10 Canal Street", "Utrecht", "3511", "NL", "Utrecht Province"))))));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);

		JsonNode person = person(id);
		assertThat(person.path("streetAddress").asString()).isEqualTo("10 Canal Street");
		assertThat(person.path("city").asString()).isEqualTo("Utrecht");
		assertThat(person.path("postalCode").asString()).isEqualTo("3511");
		assertThat(person.path("country").asString()).isEqualTo("NL");
		assertStateStoredNowhere(id, "Utrecht Province");
	}

	@Test
	void patchWhenFilteredPathNamesAnAddressTheUserHasNotYetThenTheWorkAddressIsMade() {
		String id = create("kim", "kim@example.test", null).path("id").asString();

		Response patched = patch(id, List.of(op("Replace", "addresses[type eq \"work\"].locality", "Paris"),
				op("Replace", "addresses[type eq \"work\"].postalCode", "75001")));

		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		JsonNode person = person(id);
		assertThat(person.path("city").asString()).isEqualTo("Paris");
		assertThat(person.path("postalCode").asString()).isEqualTo("75001");
		JsonNode address = readBack(id);
		assertThat(address.path("type").asString()).isEqualTo("work");
		assertThat(address.path("locality").asString()).isEqualTo("Paris");
	}

	@Test
	void patchWhenLocalityRemovedThenOnlyTheCityIsCleared() {
		String id = create("lee", "lee@example.test", address("13 Dock Road", "Hull", "HU1", "GB", "Yorkshire"))
			.path("id")
			.asString();

		Response patched = patch(id, List.of(Map.of("op", "remove", "path", "addresses[type eq \"work\"].locality")));

		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		JsonNode person = person(id);
		assertThat(person.path("city").isNull() || person.path("city").isMissingNode()).as(person.toString()).isTrue();
		assertThat(person.path("streetAddress").asString()).isEqualTo("13 Dock Road");
		assertThat(person.path("postalCode").asString()).isEqualTo("HU1");
		assertThat(person.path("country").asString()).isEqualTo("GB");
	}

	@Test
	void filterWhenLocalityOrPostalCodeThenFindsThePerson() {
		String id = create("ida", "ida@example.test", address("11 Rue", "Nantes", "44000", "FR", "Pays de la Loire"))
			.path("id")
			.asString();
		create("jon", "jon@example.test", address("12 Rue", "Rennes", "35000", "FR", "Bretagne"));

		JsonNode byCity = this.scim.get("/Users?filter=" + ScimTestClient.q("addresses.locality eq \"Nantes\"")).json();
		assertThat(byCity.path("totalResults").asInt()).isEqualTo(1);
		assertThat(byCity.path("Resources").get(0).path("id").asString()).isEqualTo(id);
		JsonNode byCode = this.scim.get("/Users?filter=" + ScimTestClient.q("addresses.postalCode eq \"44000\""))
			.json();
		assertThat(byCode.path("totalResults").asInt()).isEqualTo(1);
		assertThat(byCode.path("Resources").get(0).path("id").asString()).isEqualTo(id);
	}

	// ---- helpers ----

	private JsonNode create(String externalId, String userName, Map<String, Object> address) {
		Response created = this.scim.send("POST", "/Users",
				user(externalId, userName, address == null ? null : List.of(address)));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json();
	}

	private static Map<String, Object> user(String externalId, String userName, List<Map<String, Object>> addresses) {
		Map<String, Object> user = new LinkedHashMap<>();
		user.put("schemas", List.of(USER));
		user.put("externalId", externalId);
		user.put("userName", userName);
		user.put("active", true);
		user.put("name", Map.of("givenName", "Given" + externalId, "familyName", "Family" + externalId));
		user.put("emails", List.of(Map.of("primary", true, "type", "work", "value", userName)));
		if (addresses != null) {
			user.put("addresses", addresses);
		}
		return user;
	}

	private static Map<String, Object> address(String street, String locality, String postalCode, String country,
			String region) {
		Map<String, Object> address = new LinkedHashMap<>();
		address.put("type", "work");
		address.put("streetAddress", street);
		address.put("locality", locality);
		address.put("postalCode", postalCode);
		address.put("country", country);
		if (region != null) {
			address.put("region", region);
		}
		return address;
	}

	private static Map<String, Object> op(String op, String path, Object value) {
		return Map.of("op", op, "path", path, "value", value);
	}

	private Response patch(String id, List<Map<String, Object>> operations) {
		return this.scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations", operations));
	}

	private JsonNode person(String id) {
		Response person = this.scim.api("GET", "/api/v1/people/" + id);
		assertThat(person.status()).as(person.body()).isEqualTo(200);
		return person.json();
	}

	private JsonNode readBack(String id) {
		JsonNode addresses = this.scim.get("/Users/" + id).json().path("addresses");
		assertThat(addresses.size()).as(addresses.toString()).isEqualTo(1);
		return addresses.get(0);
	}

	/** The state is in no field of the person, not in their custom fields, and not in what SCIM reads back. */
	private void assertStateStoredNowhere(String id, String state) {
		assertThat(this.scim.api("GET", "/api/v1/people/" + id).body()).doesNotContain(state);
		assertThat(this.scim.get("/Users/" + id).body()).doesNotContain(state);
	}

}

package io.rollcall.scim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.rollcall.scim.ScimTestClient.ENTERPRISE;
import static io.rollcall.scim.ScimTestClient.GROUP;
import static io.rollcall.scim.ScimTestClient.PATCH;
import static io.rollcall.scim.ScimInteropTests.create;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the SCIM server as generic clients do (HR systems, test suites, SDKs), not only as Entra and Okta do:
 * capitalised attribute names and schema URIs, duplicate group names, reads after DELETE, writes of every
 * attribute the schemas advertise. Plain HTTP, checked through the REST API.
 */
class ScimGenericClientTests extends IntegrationTest {

	// Group displayName is not unique (RFC 7643 4.2); seed 004: the tag gets a numbered suffix.

	@Test
	void createGroupWhenDisplayNameTakenByAnotherGroupThenBothCreatedEachWithItsOwnMembers() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String ann = create(scim, Map.of("userName", "ann@dup.test")).path("id").asString();
		String ben = create(scim, Map.of("userName", "ben@dup.test")).path("id").asString();
		Response first = scim.send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName", "Engineers",
				"externalId", "g-1", "members", List.of(Map.of("value", ann))));
		assertThat(first.status()).as(first.body()).isEqualTo(201);
		Response second = scim.send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName", "Engineers",
				"externalId", "g-2", "members", List.of(Map.of("value", ben))));
		assertThat(second.status()).as(second.body()).isEqualTo(201);
		String firstId = first.json().path("id").asString();
		String secondId = second.json().path("id").asString();
		assertThat(secondId).isNotEqualTo(firstId);

		JsonNode one = scim.get("/Groups/" + firstId).json();
		JsonNode two = scim.get("/Groups/" + secondId).json();
		assertThat(one.path("displayName").asString()).isEqualTo("Engineers");
		assertThat(two.path("displayName").asString()).isEqualTo("Engineers");
		assertThat(one.path("externalId").asString()).isEqualTo("g-1");
		assertThat(two.path("externalId").asString()).isEqualTo("g-2");
		assertThat(values(one.path("members"), "value")).containsExactly(ann);
		assertThat(values(two.path("members"), "value")).containsExactly(ben);
		JsonNode found = scim.get("/Groups?filter=" + ScimTestClient.q("displayName eq \"engineers\"")).json();
		assertThat(found.path("totalResults").asInt()).isEqualTo(2);
		assertThat(values(found.path("Resources"), "id")).containsExactlyInAnyOrder(firstId, secondId);
		// Each group is its own tag: the second one's tag carries the suffix.
		assertThat(tags(scim, ann)).containsExactly("Engineers");
		assertThat(tags(scim, ben)).containsExactly("Engineers 2");

		// Renaming a third group to a name two groups have is no conflict either.
		String thirdId = scim.send("POST", "/Groups", Map.of("displayName", "Ops", "members", List.of()))
			.json()
			.path("id")
			.asString();
		Response renamed = scim.send("PATCH", "/Groups/" + thirdId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "path", "displayName", "value", "Engineers"))));
		assertThat(renamed.status()).as(renamed.body()).isEqualTo(204);
		assertThat(scim.get("/Groups/" + thirdId).json().path("displayName").asString()).isEqualTo("Engineers");
		assertThat(scim.get("/Groups?filter=" + ScimTestClient.q("displayName eq \"Engineers\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(3);
	}

	// RFC 7644 3.6: after DELETE, 404 for every operation on the resource, though Rollcall keeps the person.

	@Test
	void deleteUserWhenDeactivatingThenEveryOperationOnItIsNotFoundAndThePersonKept() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "gone@del.test", "externalId", "ext-gone", "name",
				Map.of("givenName", "Gus")))
			.path("id")
			.asString();
		String other = create(scim, Map.of("userName", "stays@del.test")).path("id").asString();
		String groupId = scim.send("POST", "/Groups", Map.of("displayName", "Leavers", "members",
				List.of(Map.of("value", id), Map.of("value", other))))
			.json()
			.path("id")
			.asString();
		assertThat(scim.send("DELETE", "/Users/" + id, null).status()).isEqualTo(204);

		assertNotFound(scim.get("/Users/" + id));
		assertNotFound(scim.send("PUT", "/Users/" + id, Map.of("userName", "gone@del.test", "active", true)));
		assertNotFound(scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "path", "active", "value", true)))));
		assertNotFound(scim.send("DELETE", "/Users/" + id, null));
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"gone@del.test\""))
			.json()
			.path("totalResults")
			.asInt()).isZero();
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("externalId eq \"ext-gone\""))
			.json()
			.path("totalResults")
			.asInt()).isZero();
		List<String> listed = values(scim.get("/Users?count=1000").json().path("Resources"), "id");
		assertThat(listed).contains(other).doesNotContain(id);
		// Groups no longer name it as a member either.
		assertThat(values(scim.get("/Groups/" + groupId).json().path("members"), "value")).containsExactly(other);

		// Nothing lost: the person is deactivated, with everything the client sent.
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("status").asString()).isEqualTo("deactivated");
		assertThat(person.path("firstName").asString()).isEqualTo("Gus");
	}

	@Test
	void createUserWhenDeletedBeforeThenSamePersonReactivated() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		// Brought back by externalId.
		String id = create(scim, Map.of("userName", "back@del.test", "externalId", "ext-back")).path("id").asString();
		assertThat(scim.send("DELETE", "/Users/" + id, null).status()).isEqualTo(204);
		JsonNode again = create(scim,
				Map.of("userName", "back@del.test", "externalId", "ext-back", "title", "Returner"));
		assertThat(again.path("id").asString()).isEqualTo(id);
		assertThat(again.path("active").asBoolean()).isTrue();
		assertThat(scim.get("/Users/" + id).status()).isEqualTo(200);
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("status").asString()).isEqualTo("active");
		assertThat(person.path("jobTitle").asString()).isEqualTo("Returner");
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("externalId eq \"ext-back\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);

		// Brought back by userName, when the client sends no externalId.
		String plain = create(scim, Map.of("userName", "plain@del.test")).path("id").asString();
		assertThat(scim.send("DELETE", "/Users/" + plain, null).status()).isEqualTo(204);
		assertThat(create(scim, Map.of("userName", "Plain@Del.test")).path("id").asString()).isEqualTo(plain);
		assertThat(scim.api("GET", "/api/v1/people/" + plain).json().path("status").asString()).isEqualTo("active");
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"plain@del.test\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);

		// Brought back by userName when the client's externalId for it changed (re-created at the provider).
		String moved = create(scim, Map.of("userName", "moved@del.test", "externalId", "ext-old")).path("id")
			.asString();
		assertThat(scim.send("DELETE", "/Users/" + moved, null).status()).isEqualTo(204);
		JsonNode renewed = create(scim, Map.of("userName", "moved@del.test", "externalId", "ext-new"));
		assertThat(renewed.path("id").asString()).isEqualTo(moved);
		assertThat(renewed.path("externalId").asString()).isEqualTo("ext-new");

		// A userName that is not an e-mail, in another case.
		String named = create(scim, Map.of("userName", "kdoe", "emails", List.of(Map.of("value", "kdoe@del.test"))))
			.path("id")
			.asString();
		assertThat(scim.send("DELETE", "/Users/" + named, null).status()).isEqualTo(204);
		assertThat(create(scim, Map.of("userName", "KDoe", "emails", List.of(Map.of("value", "kdoe@del.test"))))
			.path("id")
			.asString()).isEqualTo(named);
	}

	@Test
	void createUserWhenOneDeletedUserHasTheExternalIdAndAnotherTheUserNameThenRefusedAndBothKept() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String byExternalId = create(scim, Map.of("userName", "first@two.test", "externalId", "ext-first")).path("id")
			.asString();
		String byUserName = create(scim, Map.of("userName", "second@two.test", "externalId", "ext-second")).path("id")
			.asString();
		assertThat(scim.send("DELETE", "/Users/" + byExternalId, null).status()).isEqualTo(204);
		assertThat(scim.send("DELETE", "/Users/" + byUserName, null).status()).isEqualTo(204);

		// The first would come back (its externalId), with a userName the second, deleted but kept, still holds.
		Response again = scim.send("POST", "/Users", Map.of("userName", "second@two.test", "externalId", "ext-first"));

		assertThat(again.status()).as(again.body()).isEqualTo(409);
		assertThat(again.json().path("scimType").asString()).isEqualTo("uniqueness");
		for (String id : List.of(byExternalId, byUserName)) {
			assertThat(scim.get("/Users/" + id).status()).as("still deleted").isEqualTo(404);
			assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("status").asString())
				.isEqualTo("deactivated");
		}
		assertThat(scim.api("GET", "/api/v1/people/" + byExternalId).json().path("email").asString())
			.isEqualTo("first@two.test");
	}

	@Test
	void createUserWhenNamesAreNotAsciiThenTheAnswersCarryThemInUtf8() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		JsonNode created = create(scim, Map.of("userName", "zoe@utf.test", "name",
				Map.of("givenName", "Zoë", "familyName", "Ångström-Łukasz 山田"), "title", "Ingénieure"));

		Response read = scim.get("/Users/" + created.path("id").asString());

		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header("Content-Type")).startsWith("application/scim+json");
		assertThat(read.json().path("name").path("familyName").asString()).isEqualTo("Ångström-Łukasz 山田");
		assertThat(read.json().path("name").path("givenName").asString()).isEqualTo("Zoë");
		assertThat(created.path("title").asString()).isEqualTo("Ingénieure");
	}

	// RFC 7643 2.1: attribute names and schema URIs are case-insensitive.

	@Test
	void createAndPatchUserWhenAttributeNamesCapitalisedThenReadAsTheSameAttributes() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String boss = create(scim, Map.of("userName", "boss@case.test")).path("id").asString();
		Map<String, Object> enterprise = new LinkedHashMap<>();
		enterprise.put("Department", "Deck");
		enterprise.put("EmployeeNumber", "E-9");
		enterprise.put("Manager", Map.of("Value", boss));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("Schemas", List.of("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER", ENTERPRISE.toUpperCase()));
		body.put("UserName", "cap@case.test");
		body.put("ExternalId", "ext-cap");
		body.put("Name", Map.of("GivenName", "Cap", "FamilyName", "Tain"));
		body.put("Emails", List.of(Map.of("Value", "cap@case.test", "Type", "work", "Primary", true)));
		body.put("Title", "Chief");
		body.put("Active", true);
		body.put(ENTERPRISE.toUpperCase(), enterprise);
		String id = create(scim, body).path("id").asString();

		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("email").asString()).isEqualTo("cap@case.test");
		assertThat(person.path("firstName").asString()).isEqualTo("Cap");
		assertThat(person.path("lastName").asString()).isEqualTo("Tain");
		assertThat(person.path("jobTitle").asString()).isEqualTo("Chief");
		assertThat(person.path("overrideManagerId").asString()).isEqualTo(boss);
		assertThat(person.path("employeeId").asString()).isEqualTo("E-9");
		assertThat(person.path("externalIds").path("scim").asString()).isEqualTo("ext-cap");
		JsonNode read = scim.get("/Users/" + id).json();
		assertThat(read.path(ENTERPRISE).path("department").asString()).isEqualTo("Deck");
		assertThat(read.path(ENTERPRISE).path("manager").path("value").asString()).isEqualTo(boss);

		// PATCH paths in any case, the enterprise URN too.
		Response patched = scim.send("PATCH", "/Users/" + id,
				Map.of("Schemas", List.of(PATCH.toUpperCase()), "Operations",
						List.of(Map.of("Op", "Replace", "Path", "Name.GivenName", "Value", "Captain"),
								Map.of("op", "replace", "path", "TITLE", "value", "Admiral"),
								Map.of("op", "replace", "path", ENTERPRISE.toLowerCase() + ":Department", "value",
										"Bridge"),
								Map.of("op", "remove", "path", ENTERPRISE.toUpperCase() + ":MANAGER"))));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("firstName").asString()).isEqualTo("Captain");
		assertThat(person.path("jobTitle").asString()).isEqualTo("Admiral");
		assertThat(person.path("overrideManagerId").isNull() || person.path("overrideManagerId").isMissingNode())
			.isTrue();
		assertThat(scim.get("/Users/" + id).json().path(ENTERPRISE).path("department").asString()).isEqualTo("Bridge");
		Response emailType = scim.send("PATCH", "/Users/" + id, Map.of("Operations",
				List.of(Map.of("op", "replace", "path", "emails[Type eq \"work\"].Primary", "value", "True"))));
		assertThat(emailType.status()).as(emailType.body()).isEqualTo(200);

		// Filters: attribute names, operators and the schema URN in any case.
		assertThat(count(scim, "USERNAME eq \"CAP@CASE.TEST\"")).isEqualTo(1);
		assertThat(count(scim, "UserName Eq \"cap@case.test\" AND Name.GivenName SW \"capt\"")).isEqualTo(1);
		assertThat(count(scim, ENTERPRISE.toUpperCase() + ":EMPLOYEENUMBER eq \"E-9\"")).isEqualTo(1);
		assertThat(count(scim, "Emails[Type eq \"work\"].Value eq \"cap@case.test\"")).isEqualTo(1);
		assertThat(count(scim, "ExternalId eq \"ext-cap\"")).isEqualTo(1);
		// Attribute lists in any case.
		JsonNode projected = scim.get("/Users/" + id + "?attributes=USERNAME,Name.GivenName").json();
		assertThat(projected.path("userName").asString()).isEqualTo("cap@case.test");
		assertThat(projected.path("name").path("givenName").asString()).isEqualTo("Captain");
		assertThat(projected.has("title")).isFalse();

		// Group bodies too.
		Response group = scim.send("POST", "/Groups", Map.of("Schemas", List.of(GROUP.toUpperCase()), "DisplayName",
				"Captains", "ExternalId", "g-cap", "Members", List.of(Map.of("Value", id))));
		assertThat(group.status()).as(group.body()).isEqualTo(201);
		assertThat(group.json().path("externalId").asString()).isEqualTo("g-cap");
		assertThat(values(group.json().path("members"), "value")).containsExactly(id);
		assertThat(scim.get("/Groups?filter=" + ScimTestClient.q("DISPLAYNAME eq \"captains\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);
	}

	// RFC 7643 4.1: userName is any string the client chooses; seed 004: it is the SSO identifier.

	@Test
	void createUserWhenUserNameNotAnEmailThenEmailFromEmailsAndUserNameKeptAsSignInName() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		// No primary: the work address is the e-mail. Capitalised names, as some HR systems send them.
		JsonNode created = create(scim,
				Map.of("userName", "jdoe", "name", Map.of("givenName", "John", "familyName", "Doe"),
						"Emails", List.of(Map.of("Value", "jd.home@gen.test", "Type", "home"),
								Map.of("Value", "John.Doe@gen.test", "Type", "work"))));
		String id = created.path("id").asString();
		assertThat(created.path("userName").asString()).isEqualTo("jdoe");
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("email").asString()).isEqualToIgnoringCase("john.doe@gen.test");
		assertThat(person.path("signInName").asString()).isEqualTo("jdoe");
		assertThat(scim.get("/Users/" + id).json().path("userName").asString()).isEqualTo("jdoe");

		// Filters and uniqueness on the stored userName, without regard to case.
		JsonNode found = scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"JDoe\"")).json();
		assertThat(found.path("totalResults").asInt()).isEqualTo(1);
		assertThat(found.path("Resources").get(0).path("id").asString()).isEqualTo(id);
		assertThat(count(scim, "userName eq \"john.doe@gen.test\"")).isZero();
		assertThat(count(scim, "userName sw \"JD\"")).isEqualTo(1);
		Response duplicate = scim.send("POST", "/Users", Map.of("userName", "JDOE", "emails",
				List.of(Map.of("value", "other@gen.test", "primary", true))));
		assertThat(duplicate.status()).as(duplicate.body()).isEqualTo(409);
		assertThat(duplicate.json().path("scimType").asString()).isEqualTo("uniqueness");

		// Everything after the create works: PATCH of the e-mail and of the userName, PUT, DELETE.
		Response mail = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "path", "emails[type eq \"work\"].value", "value", "jd@gen.test"))));
		assertThat(mail.status()).as(mail.body()).isEqualTo(200);
		assertThat(mail.json().path("userName").asString()).isEqualTo("jdoe");
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("email").asString()).isEqualTo("jd@gen.test");
		Response renamed = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "path", "userName", "value", "john.doe"))));
		assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
		person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("signInName").asString()).isEqualTo("john.doe");
		assertThat(person.path("email").asString()).isEqualTo("jd@gen.test");
		JsonNode document = scim.get("/Users/" + id).json();
		((tools.jackson.databind.node.ObjectNode) document).put("title", "Clerk");
		Response put = scim.send("PUT", "/Users/" + id, document.toString());
		assertThat(put.status()).as(put.body()).isEqualTo(200);
		assertThat(put.json().path("userName").asString()).isEqualTo("john.doe");
		assertThat(scim.send("DELETE", "/Users/" + id, null).status()).isEqualTo(204);

		// The primary address wins over the work one.
		String primary = create(scim, Map.of("userName", "asmith", "emails", List.of(
				Map.of("value", "a.work@gen.test", "type", "work"),
				Map.of("value", "a.primary@gen.test", "type", "home", "primary", true))))
			.path("id")
			.asString();
		assertThat(scim.api("GET", "/api/v1/people/" + primary).json().path("email").asString())
			.isEqualTo("a.primary@gen.test");
		// An e-mail userName with no emails stays the e-mail, as before.
		String plain = create(scim, Map.of("userName", "plain@gen.test")).path("id").asString();
		assertThat(scim.api("GET", "/api/v1/people/" + plain).json().path("email").asString())
			.isEqualTo("plain@gen.test");
		assertThat(scim.get("/Users/" + plain).json().path("userName").asString()).isEqualTo("plain@gen.test");
	}

	@Test
	void createUserWhenNoEmailAnywhereThenInvalidValueSayingSo() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response refused = scim.send("POST", "/Users", Map.of("userName", "nomail", "name", Map.of("givenName", "No")));
		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.json().path("scimType").asString()).isEqualTo("invalidValue");
		assertThat(refused.json().path("detail").asString()).contains("no e-mail address").contains("emails");
		assertThat(count(scim, "userName eq \"nomail\"")).isZero();
	}

	// Seed 004: displayName is the full name.

	@Test
	void createUserWhenDisplayNameSentThenKeptAsFullName() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "fiona@name.test", "displayName", "Dr. Fiona Nkemelu-Ward", "name",
				Map.of("givenName", "Fiona", "familyName", "Nkemelu")))
			.path("id")
			.asString();
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("fullName").asString()).isEqualTo("Dr. Fiona Nkemelu-Ward");
		assertThat(person.path("firstName").asString()).isEqualTo("Fiona");
		assertThat(scim.get("/Users/" + id).json().path("displayName").asString()).isEqualTo("Dr. Fiona Nkemelu-Ward");
		assertThat(count(scim, "displayName eq \"dr. fiona nkemelu-ward\"")).isEqualTo(1);
		Response patched = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Replace", "path", "DisplayName", "value", "Fiona Ward"))));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		assertThat(patched.json().path("displayName").asString()).isEqualTo("Fiona Ward");
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("fullName").asString()).isEqualTo("Fiona Ward");
		// No displayName sent: the name shown is given + family name.
		String other = create(scim, Map.of("userName", "gil@name.test", "name", Map.of("givenName", "Gil", "familyName",
				"Hart")))
			.path("id")
			.asString();
		assertThat(scim.get("/Users/" + other).json().path("displayName").asString()).isEqualTo("Gil Hart");
	}

	// Seed 004: the secondary e-mail is kept.

	@Test
	void createUserWhenSeveralEmailsThenFirstNonPrimaryKeptAsSecondaryEmail() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "pat@mail.test", "emails", List.of(
				Map.of("value", "pat@mail.test", "type", "work", "primary", true),
				Map.of("value", "pat@home.test", "type", "home"),
				Map.of("value", "pat@old.test", "type", "other"))))
			.path("id")
			.asString();
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("email").asString()).isEqualTo("pat@mail.test");
		assertThat(person.path("secondaryEmail").asString()).isEqualTo("pat@home.test");
		JsonNode emails = scim.get("/Users/" + id).json().path("emails");
		assertThat(values(emails, "value")).containsExactly("pat@mail.test", "pat@home.test");
		assertThat(emails.get(0).path("primary").asBoolean()).isTrue();
		assertThat(emails.get(1).path("primary").asBoolean()).isFalse();

		Response removed = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "remove", "path", "emails[value eq \"pat@home.test\"]"))));
		assertThat(removed.status()).as(removed.body()).isEqualTo(200);
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("secondaryEmail").asString())
			.isEqualTo("pat@old.test");
		Response cleared = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "remove", "path", "emails[primary ne true]"))));
		assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("secondaryEmail").isNull()
				|| scim.api("GET", "/api/v1/people/" + id).json().path("secondaryEmail").isMissingNode())
			.isTrue();
		assertThat(values(scim.get("/Users/" + id).json().path("emails"), "value")).containsExactly("pat@mail.test");
	}

	// Seed 004: Entra sends its userPrincipalName as userName and its mail in emails; the UPN is the primary e-mail.
	@Test
	void createUserWhenUserNameIsAnEmailAndEmailsHoldAnotherThenUserNameIsTheEmailAndTheOtherTheSecondary() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "k.ito@corp.test", "emails", List.of(
				Map.of("value", "kenji@mail.corp.test", "type", "work", "primary", "True"))))
			.path("id")
			.asString();

		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("email").asString()).isEqualTo("k.ito@corp.test");
		assertThat(person.path("secondaryEmail").asString()).isEqualTo("kenji@mail.corp.test");
		assertThat(scim.get("/Users/" + id).json().path("userName").asString()).isEqualTo("k.ito@corp.test");
	}

	@Test
	void createUserWhenUserNameHasSpacesThenAcceptedAndFoundByItWithoutCase() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim,
				Map.of("userName", "Mary Ann Lee", "emails", List.of(Map.of("value", "mal@space.test"))))
			.path("id")
			.asString();

		assertThat(scim.get("/Users/" + id).json().path("userName").asString()).isEqualTo("Mary Ann Lee");
		assertThat(count(scim, "userName eq \"mary ann lee\"")).isEqualTo(1);
	}

	// employeeNumber is advertised in the enterprise schema and returned: writes store it.

	@Test
	void createAndPatchUserWhenEmployeeNumberSentThenStored() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "emp@num.test", ENTERPRISE, Map.of("employeeNumber", "701")))
			.path("id")
			.asString();
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("employeeId").asString()).isEqualTo("701");
		assertThat(scim.get("/Users/" + id).json().path(ENTERPRISE).path("employeeNumber").asString()).isEqualTo("701");
		assertThat(count(scim, ENTERPRISE + ":employeeNumber eq \"701\"")).isEqualTo(1);
		Response patched = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "path", ENTERPRISE + ":employeeNumber", "value", "702"))));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		assertThat(patched.json().path(ENTERPRISE).path("employeeNumber").asString()).isEqualTo("702");
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("employeeId").asString()).isEqualTo("702");
	}

	private static void assertNotFound(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(404);
		assertThat(response.json().path("status").asString()).isEqualTo("404");
		assertThat(response.json().path("detail").asString()).isNotBlank();
	}

	private static int count(ScimTestClient scim, String filter) {
		Response response = scim.get("/Users?filter=" + ScimTestClient.q(filter));
		assertThat(response.status()).as(filter + " -> " + response.body()).isEqualTo(200);
		return response.json().path("totalResults").asInt();
	}

	private static List<String> tags(ScimTestClient scim, String personId) {
		List<String> tags = new java.util.ArrayList<>();
		scim.api("GET", "/api/v1/people/" + personId).json().path("tags").forEach(t -> tags.add(t.asString()));
		return tags;
	}

	private static List<String> values(JsonNode array, String field) {
		List<String> values = new java.util.ArrayList<>();
		array.forEach(element -> values.add(element.path(field).asString()));
		return values;
	}

}

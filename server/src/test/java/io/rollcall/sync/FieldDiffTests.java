package io.rollcall.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.PersonStatus;
import io.rollcall.directory.Role;
import io.rollcall.mapping.MappedPerson;
import io.rollcall.platform.RequestRejectedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.rollcall.sync.PlanningFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which fields a record changes, without Spring and without a database. */
@Tag("unit")
class FieldDiffTests {

	private final TeamPlanning teams = new TeamPlanning(Map::of);

	@Test
	void betweenWhenOneFieldDiffersThenOnlyThatField() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");

		Map<String, FieldChange> changes = FieldDiff.between(ann,
				mapped(PersonField.EMAIL, "ann@acme.test", PersonField.JOB_TITLE, "Engineer"), this.teams);

		assertThat(changes).containsExactly(Map.entry("jobTitle", new FieldChange(null, "Engineer")));
	}

	@Test
	void betweenWhenSameEmailInOtherLetterCaseThenNoChange() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");

		assertThat(FieldDiff.between(ann, mapped(PersonField.EMAIL, "Ann@ACME.test"), this.teams)).isEmpty();
	}

	@Test
	void betweenWhenNewPersonThenEmptyFieldsAreNotListed() {
		Map<String, FieldChange> changes = FieldDiff.between(null,
				mapped(PersonField.EMAIL, "new@acme.test", PersonField.JOB_TITLE, "  "), this.teams);

		assertThat(changes).containsOnlyKeys("email");
	}

	@Test
	void betweenWhenSourceEmptiesAFieldThenItIsCleared() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");
		ann = new Person(ann.id(), ann.email(), "Ann", null, null, null, null, null, null, null, java.util.List.of(),
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, Map.of(),
				java.util.List.of(), PersonStatus.ACTIVE, ann.invitationState(), Role.LEARNER, null, null, null,
				Map.of(), ann.createdAt(), ann.updatedAt());

		assertThat(FieldDiff.between(ann, mapped(PersonField.EMAIL, "ann@acme.test", PersonField.FIRST_NAME, ""),
				this.teams))
			.containsExactly(Map.entry("firstName", new FieldChange("Ann", null)));
	}

	@Test
	void betweenWhenCustomFieldsDifferOnlyBySpacesThenNoChange() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test", PersonStatus.ACTIVE, Role.LEARNER, null,
				Map.of("badge", "42"), Map.of(), null);
		MappedPerson same = new MappedPerson(PlanningFixtures.record("u1", true, null),
				Map.of(PersonField.EMAIL, "ann@acme.test"), null, false, Map.of("badge", " 42 ", "desk", "7"),
				java.util.List.of());

		assertThat(FieldDiff.between(ann, same, this.teams))
			.containsExactly(Map.entry("customFields.desk", new FieldChange(null, "7")));
	}

	@Test
	void betweenWhenPrimaryTeamDiffersOnlyInLetterCaseThenNoChange() {
		UUID sales = UUID.randomUUID();
		TeamPlanning teams = new TeamPlanning(() -> new java.util.HashMap<>(Map.of(sales, "Sales")));
		Person ann = person(UUID.randomUUID(), "ann@acme.test", PersonStatus.ACTIVE, Role.LEARNER, sales, Map.of(),
				Map.of(), null);

		assertThat(FieldDiff.between(ann, withTeam("SALES"), teams)).isEmpty();
		assertThat(FieldDiff.between(ann, withTeam("Marketing"), teams))
			.containsExactly(Map.entry(FieldDiff.PRIMARY_TEAM, new FieldChange("Sales", "Marketing")));
	}

	@Test
	void betweenWhenValueIsNotOneRollcallTakesThenRefused() {
		assertThatThrownBy(() -> FieldDiff.between(null,
				mapped(PersonField.EMAIL, "ann@acme.test", PersonField.LANGUAGE, "not a language!"), this.teams))
			.isInstanceOf(RequestRejectedException.class);
	}

	private static MappedPerson withTeam(String team) {
		return new MappedPerson(PlanningFixtures.record("u1", true, null), Map.of(PersonField.EMAIL, "ann@acme.test"),
				team, true, Map.of(), java.util.List.of());
	}

	private static MappedPerson mapped(Object... fieldsAndValues) {
		Map<PersonField, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < fieldsAndValues.length; i += 2) {
			fields.put((PersonField) fieldsAndValues[i], (String) fieldsAndValues[i + 1]);
		}
		return PlanningFixtures.mapped("u1", fields);
	}

}

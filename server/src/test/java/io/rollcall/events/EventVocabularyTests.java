package io.rollcall.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Which events a recorded change makes, without Spring. */
@Tag("unit")
class EventVocabularyTests {

	private static final UUID COMPANY = UUID.randomUUID();

	private static final UUID PERSON = UUID.randomUUID();

	private static final String SALES = UUID.randomUUID().toString();

	private static final String OPS = UUID.randomUUID().toString();

	@Test
	void ofWhenOnlyThePrimaryTeamMovesThenItsMembershipsWaitForTheSecondaryTeamsAsTheChangeLeavesThem() {
		List<EventVocabulary.Draft> drafts = EventVocabulary
			.of(person("updated", Map.of("primaryTeamId", new FieldChange(SALES, OPS))));

		assertThat(drafts).extracting(d -> d.type().dotted(), EventVocabulary.Draft::unlessSecondaryTeam)
			.containsExactly(tuple("membership.removed", SALES),
					tuple("membership.added", OPS));
	}

	@Test
	void ofWhenPrimaryAndSecondaryTeamsChangeTogetherThenAMoveBetweenThemIsNoMembershipChange() {
		List<EventVocabulary.Draft> drafts = EventVocabulary.of(person("updated",
				Map.of("primaryTeamId", new FieldChange(SALES, OPS), "secondaryTeamIds",
						new FieldChange(List.of(OPS), List.of(SALES)))));

		assertThat(drafts).isEmpty();
	}

	@Test
	void ofWhenSecondaryTeamsChangeThenOneMembershipEventPerTeamAndNoneToCheckLater() {
		List<EventVocabulary.Draft> drafts = EventVocabulary.of(person("updated",
				Map.of("secondaryTeamIds", new FieldChange(List.of(SALES), List.of(OPS)))));

		assertThat(drafts).extracting(d -> d.type().dotted()).containsExactly("membership.removed", "membership.added");
		assertThat(drafts).allSatisfy(d -> assertThat(d.unlessSecondaryTeam()).isNull());
		assertThat(drafts.get(0).changes()).isEqualTo(Map.of("team", new FieldChange(SALES, null)));
	}

	@Test
	void ofWhenTagListChangesThenProfileEventWithoutTagsAndOneMembershipEventPerTagComparedWithoutCase() {
		List<EventVocabulary.Draft> drafts = EventVocabulary.of(person("updated",
				Map.of("firstName", new FieldChange("Ana", "Anna"), "tags",
						new FieldChange(List.of("Mentors", "First aid"), List.of("first AID", "Drivers")))));

		assertThat(drafts).extracting(d -> d.type().dotted())
			.containsExactly("person.updated", "membership.removed", "membership.added");
		assertThat(drafts.get(0).changes()).containsOnlyKeys("firstName");
		assertThat(drafts.get(1).changes()).isEqualTo(Map.of("tag", new FieldChange("Mentors", null)));
		assertThat(drafts.get(2).changes()).isEqualTo(Map.of("tag", new FieldChange(null, "Drivers")));
	}

	@Test
	void ofWhenCreatedWithTeamTagsAndManagerThenCreationFollowedByItsMembershipsAndManager() {
		String manager = UUID.randomUUID().toString();
		List<EventVocabulary.Draft> drafts = EventVocabulary.of(person("created",
				Map.of("email", new FieldChange(null, "a@example.com"), "primaryTeamId", new FieldChange(null, SALES),
						"tags",
						new FieldChange(List.of(), List.of("Mentors")), "overrideManagerId",
						new FieldChange(null, manager))));

		assertThat(drafts).extracting(d -> d.type().dotted())
			.containsExactly("person.created", "membership.added", "membership.added", "manager.changed");
	}

	@Test
	void ofWhenTheChangeIsNotOfAPersonTeamOrTagThenNoEvent() {
		assertThat(
				EventVocabulary.of(new AuditRecord(COMPANY, Actor.system(), "sync_run", UUID.randomUUID(), "approved",
						Map.of(), null)))
			.isEmpty();
		assertThat(EventVocabulary.of(person("invited", Map.of()))).isEmpty();
	}

	private static AuditRecord person(String action, Map<String, FieldChange> changes) {
		return new AuditRecord(COMPANY, Actor.system(), "person", PERSON, action, changes, null);
	}

}

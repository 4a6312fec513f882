package io.rollcall.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.rollcall.mapping.Transform.Concat;
import io.rollcall.mapping.Transform.DateParse;
import io.rollcall.mapping.Transform.DefaultValue;
import io.rollcall.mapping.Transform.LowerCase;
import io.rollcall.mapping.Transform.RegexReplace;
import io.rollcall.mapping.Transform.Trim;
import io.rollcall.mapping.Transform.ValueMap;
import io.rollcall.platform.RequestRejectedException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@Tag("unit")
class FieldMappingTests {

	// targets

	@Test
	void constructWhenTargetPersonFieldThenAccepted() {
		FieldMapping mapping = new FieldMapping("givenName", "firstName", null);

		assertThat(mapping.target()).isEqualTo("firstName");
		assertThat(mapping.transforms()).isEmpty();
		assertThat(mapping.targetsCustomField()).isFalse();
		assertThat(mapping.customFieldKey()).isNull();
	}

	@Test
	void constructWhenTargetSpelledInAnotherCaseThenCanonical() {
		assertThat(new FieldMapping("mail", " EMAIL ", null).target()).isEqualTo("email");
		assertThat(new FieldMapping("employeeHireDate", "hiredate", null).target()).isEqualTo("hireDate");
		assertThat(new FieldMapping("department", "PrimaryTeam", null).target()).isEqualTo("primaryTeam");
		assertThat(new FieldMapping("badge", "CUSTOMFIELDS.badge", null).target()).isEqualTo("customFields.badge");
	}

	@Test
	void constructWhenTargetPrimaryTeamThenAccepted() {
		FieldMapping mapping = new FieldMapping("department", FieldMapping.PRIMARY_TEAM, null);

		assertThat(mapping.target()).isEqualTo("primaryTeam");
		assertThat(mapping.targetsCustomField()).isFalse();
	}

	@Test
	void constructWhenTargetCustomFieldThenKeyGiven() {
		FieldMapping mapping = new FieldMapping("extensionAttribute1", "customFields.badge_number_2", null);

		assertThat(mapping.targetsCustomField()).isTrue();
		assertThat(mapping.customFieldKey()).isEqualTo("badge_number_2");
	}

	@Test
	void constructWhenTargetUnknownThenRejectedListingWhatTargetsAre() {
		RequestRejectedException ex = rejected(() -> new FieldMapping("givenName", "nickname", null));

		assertThat(ex.field()).isEqualTo("target");
		assertThat(ex.getMessage()).isEqualTo("Unknown target 'nickname'. Targets are person fields "
				+ "(firstName, lastName, ...), primaryTeam, or customFields.<key>");
	}

	@Test
	void constructWhenTargetMissingThenRejected() {
		assertThat(rejected(() -> new FieldMapping("givenName", null, null)).getMessage())
			.startsWith("Unknown target ''");
		assertThat(rejected(() -> new FieldMapping("givenName", "  ", null)).field()).isEqualTo("target");
	}

	@ParameterizedTest
	@ValueSource(strings = { "customFields.", "customFields.Badge", "customFields.1badge", "customFields._badge",
			"customFields.badge-number", "customFields.badge.number", "customFields.bädge" })
	void constructWhenCustomFieldKeyBreaksPatternThenRejected(String target) {
		RequestRejectedException ex = rejected(() -> new FieldMapping("x", target, null));

		assertThat(ex.field()).isEqualTo("target");
		assertThat(ex.getMessage()).contains("must start with a lower-case letter");
	}

	@Test
	void constructWhenCustomFieldKeyAt63CharactersThenAcceptedAndAt64Rejected() {
		assertThat(new FieldMapping("x", "customFields.k" + "a".repeat(62), null).customFieldKey()).hasSize(63);
		assertThat(rejected(() -> new FieldMapping("x", "customFields.k" + "a".repeat(63), null)).field())
			.isEqualTo("target");
	}

	@Test
	void constructWhenTargetHoldsRollcallIdsThenRejectedSayingWhatToUse() {
		assertThat(rejected(() -> new FieldMapping("department", "primaryTeamId", null)).getMessage())
			.contains("map the team's name to primaryTeam");
		assertThat(rejected(() -> new FieldMapping("manager", "overrideManagerId", null)).getMessage())
			.contains("set in Rollcall only");
	}

	// source and transforms

	@Test
	void constructWhenNoSourceAndNoTransformsThenRejected() {
		RequestRejectedException ex = rejected(() -> new FieldMapping(null, "firstName", List.of()));

		assertThat(ex.field()).isEqualTo("source");
		assertThat(ex.getMessage()).contains("needs a source attribute, or a concat or default transform");
	}

	@Test
	void constructWhenSourceBlankThenTreatedAsNone() {
		assertThat(rejected(() -> new FieldMapping(" ", "firstName", null)).field()).isEqualTo("source");
		assertThat(new FieldMapping("", "country", List.of(new DefaultValue("DE"))).source()).isNull();
	}

	@Test
	void constructWhenNoSourceAndOnlyTransformsThatChangeAValueThenRejected() {
		assertThat(rejected(() -> new FieldMapping(null, "firstName", List.of(new Trim(), new LowerCase()))).field())
			.isEqualTo("source");
	}

	@Test
	void constructWhenNoSourceButAValueMakingTransformThenAccepted() {
		assertThat(new FieldMapping(null, "country", List.of(new DefaultValue("DE"))).source()).isNull();
		assertThat(new FieldMapping(null, "firstName", List.of(new Concat(List.of("givenName"), " "))).transforms())
			.hasSize(1);
	}

	@Test
	void constructWhenTransformNullThenRejected() {
		RequestRejectedException ex = rejected(
				() -> new FieldMapping("givenName", "firstName", Arrays.asList(new Trim(), null)));

		assertThat(ex.field()).isEqualTo("transforms");
	}

	@Test
	void constructWhenTransformsListChangedLaterThenMappingUnchanged() {
		List<Transform> transforms = new java.util.ArrayList<>(List.of(new Trim()));
		FieldMapping mapping = new FieldMapping("givenName", "firstName", transforms);

		transforms.add(new LowerCase());

		assertThat(mapping.transforms()).containsExactly(new Trim());
	}

	// valueFor

	@Test
	void valueForWhenNoTransformsThenAttributeFoundWithoutRegardToCase() {
		SourceRecord record = record(Map.of("GivenName", "Ada"));

		assertThat(new FieldMapping("givenName", "firstName", null).valueFor(record)).isEqualTo("Ada");
	}

	@Test
	void valueForWhenTransformsChainedThenAppliedInOrder() {
		FieldMapping mapping = new FieldMapping("mail", "email",
				List.of(new Trim(), new LowerCase(), new DefaultValue("unknown@example.com")));

		assertThat(mapping.valueFor(record(Map.of("mail", "  Ada.Lovelace@Example.COM ")))).isEqualTo(
				"ada.lovelace@example.com");
		assertThat(mapping.valueFor(record(Map.of("mail", "   ")))).isEqualTo("unknown@example.com");
		assertThat(mapping.valueFor(record(Map.of()))).isEqualTo("unknown@example.com");
	}

	@Test
	void valueForWhenOrderDiffersThenResultDiffers() {
		SourceRecord blank = record(Map.of("office", "  "));

		assertThat(
				new FieldMapping("office", "office", List.of(new Trim(), new DefaultValue("Remote"))).valueFor(blank))
			.isEqualTo("Remote");
		assertThat(
				new FieldMapping("office", "office", List.of(new DefaultValue("Remote"), new Trim())).valueFor(blank))
			.isEqualTo("Remote");
		assertThat(new FieldMapping("office", "office", List.of(new DefaultValue("Remote"), new ValueMap(
				Map.of("remote", "Home office"), null)))
			.valueFor(blank)).isEqualTo("Home office");
	}

	@Test
	void valueForWhenAttributeMissingAndNoDefaultThenNone() {
		FieldMapping mapping = new FieldMapping("department", "department", List.of(new Trim(), new LowerCase()));

		assertThat(mapping.valueFor(record(Map.of()))).isNull();
	}

	@Test
	void valueForWhenNoSourceThenTransformsMakeTheValue() {
		FieldMapping mapping = new FieldMapping(null, "customFields.display_name",
				List.of(new Concat(List.of("givenName", "surname"), " "), new DefaultValue("(no name)")));

		assertThat(mapping.valueFor(record(Map.of("givenName", "Ada", "surname", "Lovelace")))).isEqualTo(
				"Ada Lovelace");
		assertThat(mapping.valueFor(record(Map.of()))).isEqualTo("(no name)");
	}

	@Test
	void valueForWhenGraphHireDateThenIsoDate() {
		FieldMapping mapping = new FieldMapping("employeeHireDate", "hireDate", List.of(new DateParse("dd.MM.yyyy")));

		assertThat(mapping.valueFor(record(Map.of("employeeHireDate", "2024-03-31T00:00:00Z")))).isEqualTo(
				"2024-03-31");
		assertThat(mapping.valueFor(record(Map.of("employeeHireDate", "31.03.2024")))).isEqualTo("2024-03-31");
	}

	@Test
	void valueForWhenATransformCannotHandleTheValueThenFailsWithItsMessage() {
		FieldMapping mapping = new FieldMapping("hired", "hireDate", List.of(new Trim(), new DateParse("dd.MM.yyyy")));

		assertThatIllegalArgumentException().isThrownBy(() -> mapping.valueFor(record(Map.of("hired", " 31.13.2024 "))))
			.withMessage("'31.13.2024' is not a date in the format dd.MM.yyyy");
	}

	@Test
	void valueForWhenPhoneNormalisedThenRegexAndTrimCombine() {
		FieldMapping mapping = new FieldMapping("mobilePhone", "phone",
				List.of(new Trim(), new RegexReplace("^\\+44\\s*", "0"), new RegexReplace("[\\s-]", "")));

		assertThat(mapping.valueFor(record(Map.of("mobilePhone", " +44 7700-900 123 ")))).isEqualTo("07700900123");
	}

	// JSON

	@Test
	void jsonWhenWrittenAndReadThenEqual() {
		JsonMapper json = JsonMapper.builder().build();
		FieldMapping mapping = new FieldMapping("department", "primaryTeam",
				List.of(new Trim(), new ValueMap(Map.of("ENG", "Engineering"), null), new DefaultValue("Unassigned")));

		String written = json.writeValueAsString(mapping);

		assertThat(json.readValue(written, FieldMapping.class)).isEqualTo(mapping);
		assertThat(json.readTree(written).propertyNames()).containsExactly("source", "target", "transforms");
	}

	@Test
	void jsonWhenTransformsOmittedThenNone() {
		FieldMapping read = JsonMapper.builder()
			.build()
			.readValue("{\"source\":\"givenName\",\"target\":\"firstName\"}", FieldMapping.class);

		assertThat(read.transforms()).isEmpty();
	}

	private static RequestRejectedException rejected(ThrowingCallable call) {
		RequestRejectedException ex = catchThrowableOfType(RequestRejectedException.class, call);
		assertThat(ex).as("rejected").isNotNull();
		return ex;
	}

	private static SourceRecord record(Map<String, String> attributes) {
		return TransformTests.record(attributes);
	}

}

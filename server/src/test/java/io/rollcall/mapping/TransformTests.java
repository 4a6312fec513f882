package io.rollcall.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.mapping.Transform.Concat;
import io.rollcall.mapping.Transform.DateParse;
import io.rollcall.mapping.Transform.DefaultValue;
import io.rollcall.mapping.Transform.LowerCase;
import io.rollcall.mapping.Transform.RegexReplace;
import io.rollcall.mapping.Transform.Trim;
import io.rollcall.mapping.Transform.UpperCase;
import io.rollcall.mapping.Transform.ValueMap;
import io.rollcall.platform.RequestRejectedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("unit")
class TransformTests {

	private static final SourceRecord EMPTY = record(Map.of());

	private final JsonMapper json = JsonMapper.builder().build();

	// trim

	@Test
	void applyWhenValueHasSurroundingWhitespaceThenStripped() {
		assertThat(new Trim().apply(" \u2003Ada Lovelace\t\n", EMPTY)).isEqualTo("Ada Lovelace");
	}

	@Test
	void applyWhenTrimmedValueBlankThenNone() {
		assertThat(new Trim().apply("   ", EMPTY)).isNull();
		assertThat(new Trim().apply("", EMPTY)).isNull();
		assertThat(new Trim().apply(null, EMPTY)).isNull();
	}

	// lowerCase, upperCase

	@Test
	void applyWhenLowerCaseThenRootLocaleWhateverTheDefault() {
		java.util.Locale before = java.util.Locale.getDefault();
		java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
		try {
			assertThat(new LowerCase().apply("ADA.INGRID@EXAMPLE.COM", EMPTY)).isEqualTo("ada.ingrid@example.com");
			assertThat(new UpperCase().apply("engineering", EMPTY)).isEqualTo("ENGINEERING");
		}
		finally {
			java.util.Locale.setDefault(before);
		}
	}

	@Test
	void applyWhenCaseChangeGivenNoValueThenNone() {
		assertThat(new LowerCase().apply(null, EMPTY)).isNull();
		assertThat(new UpperCase().apply(null, EMPTY)).isNull();
	}

	// default

	@Test
	void applyWhenValueMissingThenDefaultUsed() {
		assertThat(new DefaultValue("Unknown").apply(null, EMPTY)).isEqualTo("Unknown");
	}

	@Test
	void applyWhenValueBlankThenDefaultUsed() {
		assertThat(new DefaultValue("Unknown").apply(" \t", EMPTY)).isEqualTo("Unknown");
	}

	@Test
	void applyWhenValuePresentThenDefaultNotUsed() {
		assertThat(new DefaultValue("Unknown").apply(" Berlin ", EMPTY)).isEqualTo(" Berlin ");
	}

	@Test
	void constructWhenDefaultBlankThenRejected() {
		assertRejected(() -> new DefaultValue(null), "default transform needs a value");
		assertRejected(() -> new DefaultValue(" "), "default transform needs a value");
	}

	// concat

	@Test
	void applyWhenConcatThenAttributesJoinedInOrderIgnoringTheValue() {
		SourceRecord record = record(Map.of("givenName", "Ada", "surname", "Lovelace"));

		String joined = new Concat(List.of("givenName", "surname"), " ").apply("ignored", record);

		assertThat(joined).isEqualTo("Ada Lovelace");
	}

	@Test
	void applyWhenConcatPartsMissingOrBlankThenSkippedWithoutDoubleSeparators() {
		SourceRecord record = record(Map.of("givenName", " Ada ", "middleName", "  ", "surname", "Lovelace"));

		String joined = new Concat(List.of("givenName", "middleName", "nickname", "surname"), ", ").apply(null, record);

		assertThat(joined).isEqualTo("Ada, Lovelace");
	}

	@Test
	void applyWhenConcatAttributeNamesDifferInCaseThenStillFound() {
		SourceRecord record = record(Map.of("GivenName", "Ada", "SURNAME", "Lovelace"));

		assertThat(new Concat(List.of("givenName", "surname"), null).apply(null, record)).isEqualTo("AdaLovelace");
	}

	@Test
	void applyWhenNoConcatPartPresentThenNone() {
		SourceRecord record = record(Map.of("givenName", " "));

		assertThat(new Concat(List.of("givenName", "surname"), " ").apply("x", record)).isNull();
	}

	@Test
	void constructWhenConcatHasNoAttributesThenRejected() {
		assertRejected(() -> new Concat(null, " "), "needs the attributes");
		assertRejected(() -> new Concat(List.of(), " "), "needs the attributes");
		assertRejected(() -> new Concat(java.util.Arrays.asList("givenName", null), " "), "remove the empty one");
	}

	// regexReplace

	@Test
	void applyWhenRegexMatchesThenEveryMatchReplaced() {
		assertThat(new RegexReplace("^\\+44\\s*", "0").apply("+44 20 7946 0000", EMPTY)).isEqualTo("020 7946 0000");
		assertThat(new RegexReplace("\\s+", "").apply("020 7946 0000", EMPTY)).isEqualTo("02079460000");
	}

	@Test
	void applyWhenReplacementRefersToGroupsThenGroupsUsed() {
		RegexReplace swap = new RegexReplace("(?<last>\\w+), (\\w+)", "$2 ${last}");

		assertThat(swap.apply("Lovelace, Ada", EMPTY)).isEqualTo("Ada Lovelace");
	}

	@Test
	void applyWhenRegexDoesNotMatchOrNoValueThenUnchanged() {
		RegexReplace regex = new RegexReplace("^\\+44", "0");

		assertThat(regex.apply("+49 30 1234", EMPTY)).isEqualTo("+49 30 1234");
		assertThat(regex.apply(null, EMPTY)).isNull();
	}

	@Test
	void constructWhenPatternInvalidThenRejectedNamingThePattern() {
		RequestRejectedException ex = assertRejected(() -> new RegexReplace("([a-z]+", "x"), "'([a-z]+'");

		assertThat(ex.getMessage()).contains("not a valid Java regular expression");
	}

	@Test
	void constructWhenPatternLongerThan500ThenRejected() {
		assertThat(new RegexReplace("a".repeat(500), "").pattern()).hasSize(500);
		assertRejected(() -> new RegexReplace("a".repeat(501), ""), "501 characters long; keep it to 500");
	}

	@Test
	void constructWhenPatternMissingThenRejected() {
		assertRejected(() -> new RegexReplace(null, "x"), "needs a pattern");
		assertRejected(() -> new RegexReplace("", "x"), "needs a pattern");
	}

	@Test
	void constructWhenReplacementInvalidThenRejectedRatherThanFailingAtFirstMatch() {
		assertRejected(() -> new RegexReplace("(a)", "$2"), "refers to group $2 but the pattern '(a)' has 1 group");
		assertRejected(() -> new RegexReplace("a", "${name}"), "refers to a group ${name}");
		assertRejected(() -> new RegexReplace("(?<name>a)", "${name"), "without a closing '}'");
		assertRejected(() -> new RegexReplace("a", "costs $"), "ends with '$'");
		assertRejected(() -> new RegexReplace("a", "US$ 5"), "write \\$ for a dollar sign");
		assertRejected(() -> new RegexReplace("a", "x\\"), "ends with a backslash");
	}

	@Test
	void applyWhenReplacementEscapesThenLiteral() {
		assertThat(new RegexReplace("USD ", "\\$").apply("USD 5", EMPTY)).isEqualTo("$5");
		assertThat(new RegexReplace("(a)", "$10").apply("a", EMPTY)).isEqualTo("a0");
		assertThat(new RegexReplace("x", null).apply("xax", EMPTY)).isEqualTo("a");
	}

	@Test
	void applyWhenPatternBacktracksCatastrophicallyThenGivesUpWithAMessage() {
		RegexReplace runaway = new RegexReplace("(.*a){20}$", "");
		RegexReplace backreference = new RegexReplace("^(\\d+)*\\1$", "");

		assertThatIllegalArgumentException().isThrownBy(() -> runaway.apply("a".repeat(40) + "!", EMPTY))
			.withMessageContaining("The pattern '(.*a){20}$' takes too long on 'aaaa");
		assertThatIllegalArgumentException().isThrownBy(() -> backreference.apply("1".repeat(40) + "!", EMPTY))
			.withMessageContaining("takes too long");
		assertThat(backreference.apply("1212", EMPTY)).isEmpty();
		assertThat(runaway.apply("b", EMPTY)).isEqualTo("b");
	}

	@Test
	void applyWhenValueLongThenOrdinaryPatternStillFinishes() {
		String value = "word ".repeat(20_000);

		assertThat(new RegexReplace("\\s+$", "").apply(value, EMPTY)).hasSize(value.length() - 1);
	}

	// dateParse

	@Test
	void dateParseWhenIsoDayFormatThenEveryTextReadsAsTheStrictFormatterReadsItOrIsRefusedAlike() {
		// The same pattern with its hyphens quoted: read by the formatter alone.
		DateParse formatterOnly = new DateParse("yyyy'-'MM'-'dd");
		DateParse isoDay = new DateParse(DateParse.ISO_DAY);
		List<String> texts = new java.util.ArrayList<>(List.of("2024-03-31", " 2024-02-29 ", "2023-02-29",
				"2024-02-30", "2024-13-01", "2024-00-10", "2024-04-31", "2024-04-00", "0000-01-01", "0001-01-01",
				"9999-12-31", "2024-3-31", "2024-03-310", "2024/03/31", "２０２４-03-31", "\u0662\u0660\u0662\u0664-03-31",
				"+2024-03-31", "-202-03-31", "2024-03-31Z", "2024-03-31T10:00:00", "abcd-ef-gh", "2024-03-3a"));
		java.util.Random random = new java.util.Random(19);
		for (int i = 0; i < 3000; i++) {
			char[] text = String.format("%04d-%02d-%02d", random.nextInt(10000), random.nextInt(14),
					random.nextInt(33))
				.toCharArray();
			if (random.nextInt(10) == 0) {
				text[random.nextInt(text.length)] = "0-9/ x".charAt(random.nextInt(6));
			}
			texts.add(new String(text));
		}

		for (String text : texts) {
			String expected;
			try {
				expected = formatterOnly.apply(text, EMPTY);
			}
			catch (IllegalArgumentException ex) {
				expected = "refused";
			}
			String read;
			try {
				read = isoDay.apply(text, EMPTY);
			}
			catch (IllegalArgumentException ex) {
				read = "refused";
			}
			assertThat(read).as(text).isEqualTo(expected);
		}
		assertThat(isoDay.apply("2024-02-29", EMPTY)).isEqualTo("2024-02-29");
		assertThat(isoDay.apply("0000-01-01", EMPTY)).as("as ISO_DATE, tried next, reads it").isEqualTo("0000-01-01");
	}

	@Test
	void applyWhenDateInFormatThenIsoDate() {
		assertThat(new DateParse("dd.MM.yyyy").apply("31.03.2024", EMPTY)).isEqualTo("2024-03-31");
		assertThat(new DateParse("dd/MM/uuuu").apply(" 01/02/2024 ", EMPTY)).isEqualTo("2024-02-01");
		assertThat(new DateParse("M/d/yy").apply("3/5/24", EMPTY)).isEqualTo("2024-03-05");
		assertThat(new DateParse("yyyyMMdd").apply("20240331", EMPTY)).isEqualTo("2024-03-31");
	}

	@Test
	void applyWhenMonthNameInAnyCaseThenParsed() {
		assertThat(new DateParse("dd-MMM-yyyy").apply("31-MAR-2024", EMPTY)).isEqualTo("2024-03-31");
		assertThat(new DateParse("d MMMM yyyy").apply("1 march 2024", EMPTY)).isEqualTo("2024-03-01");
	}

	@Test
	void applyWhenFormatHasTimeThenDatePartTaken() {
		assertThat(new DateParse("dd/MM/yyyy HH:mm").apply("31/03/2024 09:15", EMPTY)).isEqualTo("2024-03-31");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2024-03-31", "2024-03-31T00:00:00Z", "2024-03-31T00:00:00.0000000Z",
			"2024-03-31T23:30:00+02:00", "2024-03-31T08:00:00", "2024-03-31T08:00:00+01:00[Europe/London]" })
	void applyWhenValueIsoDateOrDateTimeThenDatePartWhateverTheFormat(String value) {
		assertThat(new DateParse("dd.MM.yyyy").apply(value, EMPTY)).isEqualTo("2024-03-31");
	}

	@Test
	void applyWhenDateValueMissingOrBlankThenNone() {
		assertThat(new DateParse("dd.MM.yyyy").apply(null, EMPTY)).isNull();
		assertThat(new DateParse("dd.MM.yyyy").apply("  ", EMPTY)).isNull();
	}

	@Test
	void applyWhenValueNotADateThenMessageNamesValueAndFormat() {
		DateParse dates = new DateParse("dd.MM.yyyy");

		assertThatIllegalArgumentException().isThrownBy(() -> dates.apply("31.13.2024", EMPTY))
			.withMessage("'31.13.2024' is not a date in the format dd.MM.yyyy");
		assertThatIllegalArgumentException().isThrownBy(() -> dates.apply("next tuesday", EMPTY))
			.withMessage("'next tuesday' is not a date in the format dd.MM.yyyy");
	}

	@Test
	void applyWhenDayDoesNotExistInMonthThenRejectedNotMovedToMonthEnd() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DateParse("dd.MM.yyyy").apply("31.02.2024", EMPTY))
			.withMessageContaining("'31.02.2024' is not a date");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DateParse("dd.MM.yyyy").apply("2024-02-30T00:00:00Z", EMPTY));
		assertThat(new DateParse("dd.MM.yyyy").apply("29.02.2024", EMPTY)).isEqualTo("2024-02-29");
	}

	@Test
	void constructWhenFormatInvalidThenRejectedNamingTheFormat() {
		assertRejected(() -> new DateParse("dd.MM.yyyy{"), "The dateParse format 'dd.MM.yyyy{' is not a valid");
		assertRejected(() -> new DateParse("dd.bb.yyyy"), "'dd.bb.yyyy' is not a valid date pattern");
		assertRejected(() -> new DateParse(null), "needs a format");
	}

	@Test
	void constructWhenFormatLacksPartOfADateThenRejected() {
		assertRejected(() -> new DateParse("MM/yyyy"), "does not describe a whole date");
		assertRejected(() -> new DateParse("HH:mm"), "does not describe a whole date");
	}

	// valueMap

	@Test
	void applyWhenValueMatchesExactlyThenMapped() {
		ValueMap departments = new ValueMap(Map.of("ENG", "Engineering", "eng", "Engines"), null);

		assertThat(departments.apply("ENG", EMPTY)).isEqualTo("Engineering");
		assertThat(departments.apply("eng", EMPTY)).isEqualTo("Engines");
	}

	@Test
	void applyWhenValueMatchesIgnoringCaseThenMappedByFirstEntry() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("ENG", "Engineering");
		values.put("Eng", "Engines");
		ValueMap departments = new ValueMap(values, null);

		assertThat(departments.apply("eng", EMPTY)).isEqualTo("Engineering");
	}

	@Test
	void applyWhenValueUnmatchedThenOtherwiseOrUnchanged() {
		assertThat(new ValueMap(Map.of("ENG", "Engineering"), "Other").apply("SALES", EMPTY)).isEqualTo("Other");
		assertThat(new ValueMap(Map.of("ENG", "Engineering"), null).apply("SALES", EMPTY)).isEqualTo("SALES");
	}

	@Test
	void applyWhenValueMapGivenNoValueThenNone() {
		assertThat(new ValueMap(Map.of("ENG", "Engineering"), "Other").apply(null, EMPTY)).isNull();
	}

	@Test
	void constructWhenValueMapValuesMissingThenRejected() {
		Map<String, String> withNull = new LinkedHashMap<>();
		withNull.put("ENG", null);

		assertRejected(() -> new ValueMap(null, "x"), "needs values");
		assertRejected(() -> new ValueMap(withNull, "x"), "must all be text");
	}

	// JSON

	@Test
	void jsonWhenEveryTypeWrittenThenReadBackEqual() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("ENG", "Engineering");
		values.put("HR", "People");
		List<Transform> transforms = List.of(new Trim(), new LowerCase(), new UpperCase(), new DefaultValue("x"),
				new Concat(List.of("givenName", "surname"), " "), new RegexReplace("^\\+44", "0"),
				new DateParse("dd/MM/yyyy"), new ValueMap(values, null));

		String written = this.json.writerFor(new TypeReference<List<Transform>>() {
		}).writeValueAsString(transforms);
		List<Transform> read = this.json.readValue(written, new TypeReference<List<Transform>>() {
		});

		assertThat(read).isEqualTo(transforms);
		assertThat(read.get(7)).isInstanceOf(ValueMap.class);
		assertThat(((ValueMap) read.get(7)).values().keySet()).containsExactly("ENG", "HR");
	}

	@Test
	void jsonWhenWrittenThenTypeNamesAsDocumented() {
		assertThat(this.json.writeValueAsString(new Trim())).isEqualTo("{\"type\":\"trim\"}");
		assertThat(this.json.writeValueAsString(new LowerCase())).isEqualTo("{\"type\":\"lowerCase\"}");
		assertThat(this.json.writeValueAsString(new UpperCase())).isEqualTo("{\"type\":\"upperCase\"}");
		assertThat(this.json.writeValueAsString(new DefaultValue("x")))
			.isEqualTo("{\"type\":\"default\",\"value\":\"x\"}");
		assertThat(this.json.readTree(this.json.writeValueAsString(new Concat(List.of("a"), "-")))
			.path("type")
			.asString()).isEqualTo("concat");
		assertThat(this.json.readTree(this.json.writeValueAsString(new RegexReplace("a", "b")))
			.path("type")
			.asString()).isEqualTo("regexReplace");
		assertThat(this.json.readTree(this.json.writeValueAsString(new DateParse("dd.MM.yyyy")))
			.path("type")
			.asString()).isEqualTo("dateParse");
		assertThat(this.json.readTree(this.json.writeValueAsString(new ValueMap(Map.of(), null)))
			.path("type")
			.asString()).isEqualTo("valueMap");
	}

	@Test
	void jsonWhenDocumentedFormsReadThenTransforms() {
		String documented = """
				[{"type":"trim"},{"type":"lowerCase"},{"type":"upperCase"},{"type":"default","value":"x"},
				 {"type":"concat","attributes":["givenName","surname"],"separator":" "},
				 {"type":"regexReplace","pattern":"^\\\\+44","replacement":"0"},
				 {"type":"dateParse","format":"dd/MM/yyyy"},
				 {"type":"valueMap","values":{"ENG":"Engineering"},"otherwise":null}]
				""";

		List<Transform> read = this.json.readValue(documented, new TypeReference<List<Transform>>() {
		});

		assertThat(read).containsExactly(new Trim(), new LowerCase(), new UpperCase(), new DefaultValue("x"),
				new Concat(List.of("givenName", "surname"), " "), new RegexReplace("^\\+44", "0"),
				new DateParse("dd/MM/yyyy"), new ValueMap(Map.of("ENG", "Engineering"), null));
		assertThat(read.get(5).apply("+447700900000", EMPTY)).isEqualTo("07700900000");
	}

	@Test
	void jsonWhenTypeUnknownThenReadFails() {
		assertThatExceptionOfType(InvalidTypeIdException.class)
			.isThrownBy(() -> this.json.readValue("{\"type\":\"titleCase\"}", Transform.class))
			.withMessageContaining("titleCase");
	}

	@Test
	void jsonWhenTypeMissingThenReadFails() {
		assertThatExceptionOfType(InvalidTypeIdException.class)
			.isThrownBy(() -> this.json.readValue("{\"value\":\"x\"}", Transform.class));
	}

	@Test
	void jsonWhenTransformInvalidThenReadFailsWithTheRejection() {
		assertThatThrownBy(() -> this.json.readValue("{\"type\":\"regexReplace\",\"pattern\":\"(\"}", Transform.class))
			.hasRootCauseInstanceOf(RequestRejectedException.class)
			.rootCause()
			.hasMessageContaining("The regexReplace pattern '('");
	}

	private static RequestRejectedException assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
			String message) {
		RequestRejectedException ex = org.assertj.core.api.Assertions.catchThrowableOfType(
				RequestRejectedException.class,
				call);
		assertThat(ex).as("rejected").isNotNull();
		assertThat(ex.field()).isEqualTo("transforms");
		assertThat(ex.getMessage()).contains(message);
		return ex;
	}

	static SourceRecord record(Map<String, String> attributes) {
		return new SourceRecord("ext-1", attributes, true, null, null, List.of());
	}

}

package io.rollcall.mapping;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.rollcall.platform.RequestRejectedException;

/**
 * One step a company puts between a source attribute and a person field. Steps run in order, each getting the
 * previous one's result; {@code null} means "no value" throughout, so a missing attribute flows through to a
 * {@link DefaultValue} instead of failing.
 * <p>
 * Companies write these as JSON ({@code {"type":"trim"}}), so constructors reject what cannot work with a
 * {@link RequestRejectedException} on {@code transforms}, when the mapping is saved rather than during a sync.
 * {@link #apply} throws {@link IllegalArgumentException} for a value it cannot transform (a date that is not one),
 * which is a problem with that person's data, not with the mapping.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Transform.Trim.class, name = "trim"),
		@JsonSubTypes.Type(value = Transform.LowerCase.class, name = "lowerCase"),
		@JsonSubTypes.Type(value = Transform.UpperCase.class, name = "upperCase"),
		@JsonSubTypes.Type(value = Transform.DefaultValue.class, name = "default"),
		@JsonSubTypes.Type(value = Transform.Concat.class, name = "concat"),
		@JsonSubTypes.Type(value = Transform.RegexReplace.class, name = "regexReplace"),
		@JsonSubTypes.Type(value = Transform.DateParse.class, name = "dateParse"),
		@JsonSubTypes.Type(value = Transform.ValueMap.class, name = "valueMap") })
public sealed interface Transform {

	/**
	 * @param value the value so far, or null when there is none (the attribute is missing)
	 * @param record the whole source record, for transforms that read other attributes
	 * @return the new value, or null for none
	 * @throws IllegalArgumentException when this value cannot be transformed
	 */
	String apply(String value, SourceRecord record);

	/** Strips surrounding whitespace; a value left empty becomes none, so a following default applies. */
	record Trim() implements Transform {

		@Override
		public String apply(String value, SourceRecord record) {
			if (value == null) {
				return null;
			}
			String stripped = value.strip();
			return stripped.isEmpty() ? null : stripped;
		}

	}

	/** Lower case by {@link Locale#ROOT}, so the result does not depend on the server's locale. */
	record LowerCase() implements Transform {

		@Override
		public String apply(String value, SourceRecord record) {
			return (value != null) ? value.toLowerCase(Locale.ROOT) : null;
		}

	}

	/** Upper case by {@link Locale#ROOT}, so the result does not depend on the server's locale. */
	record UpperCase() implements Transform {

		@Override
		public String apply(String value, SourceRecord record) {
			return (value != null) ? value.toUpperCase(Locale.ROOT) : null;
		}

	}

	/** The given value when there is none so far or it is blank; otherwise the value unchanged. */
	record DefaultValue(String value) implements Transform {

		public DefaultValue {
			// A blank default would only replace nothing with nothing, so it is surely a mistake.
			if (value == null || value.isBlank()) {
				throw RequestRejectedException.invalid("transforms",
						"A default transform needs a value, e.g. {\"type\":\"default\",\"value\":\"Unknown\"}");
			}
		}

		@Override
		public String apply(String value, SourceRecord record) {
			return (value == null || value.isBlank()) ? this.value : value;
		}

	}

	/**
	 * Joins several attributes of the record, e.g. given name and surname into a display name. Ignores the value
	 * so far: it makes a value of its own, which is why a mapping with it needs no source.
	 *
	 * @param attributes the attribute names, in order
	 * @param separator put between the parts; none when null
	 */
	record Concat(List<String> attributes, String separator) implements Transform {

		public Concat {
			if (attributes == null || attributes.isEmpty()) {
				throw RequestRejectedException.invalid("transforms",
						"A concat transform needs the attributes to join, e.g. \"attributes\":[\"givenName\",\"surname\"]");
			}
			if (attributes.stream().anyMatch(name -> name == null || name.isBlank())) {
				throw RequestRejectedException.invalid("transforms",
						"A concat transform's attributes must all be attribute names; remove the empty one");
			}
			attributes = List.copyOf(attributes);
			separator = Objects.requireNonNullElse(separator, "");
		}

		@Override
		public String apply(String value, SourceRecord record) {
			StringBuilder joined = new StringBuilder();
			for (String name : this.attributes) {
				String part = record.attribute(name);
				// Parts are stripped so that a stray space in the source does not double the separator.
				if (part == null || part.isBlank()) {
					continue;
				}
				if (!joined.isEmpty()) {
					joined.append(this.separator);
				}
				joined.append(part.strip());
			}
			return joined.isEmpty() ? null : joined.toString();
		}

	}

	/**
	 * Replaces every match of a Java regular expression, e.g. {@code ^\+44} by {@code 0}. The replacement may
	 * refer to groups as {@code $1} or {@code ${name}}; {@code \$} is a literal dollar sign.
	 */
	record RegexReplace(String pattern, String replacement) implements Transform {

		/** Longer patterns are refused: nobody needs them to tidy an attribute, and they make runaway ones likelier. */
		private static final int MAX_PATTERN_LENGTH = 500;

		/**
		 * How many characters a replacement may read for each character of the value before it is given up as
		 * runaway backtracking (e.g. {@code (.*a){20}$}), which would otherwise hold a sync for hours.
		 */
		private static final int READS_PER_CHARACTER = 10_000;

		private static final Map<String, Pattern> COMPILED = compiledCache(256);

		public RegexReplace {
			if (pattern == null || pattern.isEmpty()) {
				throw RequestRejectedException.invalid("transforms",
						"A regexReplace transform needs a pattern, e.g. \"pattern\":\"^\\\\+44\"");
			}
			if (pattern.length() > MAX_PATTERN_LENGTH) {
				throw RequestRejectedException.invalid("transforms", "The regexReplace pattern '"
						+ pattern.substring(0, 40) + "...' is " + pattern.length() + " characters long; keep it to "
						+ MAX_PATTERN_LENGTH + " or fewer");
			}
			Pattern compiled;
			try {
				compiled = Pattern.compile(pattern);
			}
			catch (PatternSyntaxException ex) {
				throw RequestRejectedException.invalid("transforms", "The regexReplace pattern '" + pattern
						+ "' is not a valid Java regular expression: " + ex.getDescription()
						+ ((ex.getIndex() >= 0) ? " near position " + ex.getIndex() : ""));
			}
			replacement = Objects.requireNonNullElse(replacement, "");
			checkReplacement(pattern, compiled, replacement);
			COMPILED.put(pattern, compiled);
		}

		@Override
		public String apply(String value, SourceRecord record) {
			if (value == null) {
				return null;
			}
			Pattern compiled = COMPILED.computeIfAbsent(this.pattern, Pattern::compile);
			try {
				return compiled.matcher(new BoundedReads(value, (value.length() + 1L) * READS_PER_CHARACTER))
					.replaceAll(this.replacement);
			}
			catch (BoundedReads.Exhausted ex) {
				throw new IllegalArgumentException("The pattern '" + this.pattern + "' takes too long on '"
						+ abbreviate(value) + "'; simplify it (a repeated group that can match the same text in"
						+ " many ways is the usual cause)");
			}
		}

		/**
		 * Finds the mistakes in a replacement that {@link java.util.regex.Matcher#appendReplacement} would only
		 * throw at the first match, in the middle of a sync.
		 */
		private static void checkReplacement(String pattern, Pattern compiled, String replacement) {
			int groups = compiled.matcher("").groupCount();
			for (int i = 0; i < replacement.length(); i++) {
				char c = replacement.charAt(i);
				if (c == '\\') {
					if (++i == replacement.length()) {
						throw badReplacement(replacement, "ends with a backslash; write \\\\ for a backslash");
					}
				}
				else if (c == '$') {
					if (++i == replacement.length()) {
						throw badReplacement(replacement, "ends with '$'; write \\$ for a dollar sign");
					}
					char next = replacement.charAt(i);
					if (next == '{') {
						int close = replacement.indexOf('}', i);
						if (close < 0) {
							throw badReplacement(replacement, "has '${' without a closing '}'");
						}
						String name = replacement.substring(i + 1, close);
						if (!compiled.namedGroups().containsKey(name)) {
							throw badReplacement(replacement,
									"refers to a group ${" + name + "} that the pattern '" + pattern
											+ "' does not have");
						}
						i = close;
					}
					else if (next >= '0' && next <= '9') {
						// Further digits only extend the number while such a group exists, as the matcher reads it.
						if (next - '0' > groups) {
							throw badReplacement(replacement,
									"refers to group $" + next + " but the pattern '" + pattern
											+ "' has " + groups + " group" + ((groups != 1) ? "s" : ""));
						}
					}
					else {
						throw badReplacement(replacement,
								"has a '$' not followed by a group number or {name}; write \\$ for a dollar sign");
					}
				}
			}
		}

		private static RequestRejectedException badReplacement(String replacement, String problem) {
			return RequestRejectedException.invalid("transforms",
					"The regexReplace replacement '" + replacement + "' " + problem);
		}

		/**
		 * The value a regular expression runs over, failing once it has been read too often: the matcher reads
		 * through {@link #charAt}, so this bounds backtracking without a thread or a clock.
		 */
		private static final class BoundedReads implements CharSequence {

			private final String text;

			private long readsLeft;

			private BoundedReads(String text, long reads) {
				this.text = text;
				this.readsLeft = reads;
			}

			@Override
			public char charAt(int index) {
				if (--this.readsLeft < 0) {
					throw new Exhausted();
				}
				return this.text.charAt(index);
			}

			@Override
			public int length() {
				return this.text.length();
			}

			@Override
			public CharSequence subSequence(int start, int end) {
				return this.text.subSequence(start, end);
			}

			@Override
			public String toString() {
				return this.text;
			}

			private static final class Exhausted extends RuntimeException {

				private static final long serialVersionUID = 1L;

				private Exhausted() {
					super(null, null, false, false);
				}

			}

		}

	}

	/**
	 * Reads a date written in the given {@link DateTimeFormatter} pattern (e.g. {@code dd.MM.yyyy}) and gives it
	 * as {@code yyyy-MM-dd}, the form date fields take. ISO dates and date-times are accepted as well, whatever
	 * the pattern, as sources such as Microsoft Graph give {@code employeeHireDate} as {@code 2024-03-31T00:00:00Z};
	 * of those the date as written is taken.
	 */
	record DateParse(String format) implements Transform {

		private static final Map<String, DateTimeFormatter> COMPILED = compiledCache(64);

		// Has every field a pattern may print (time, zone), so that only patterns lacking a date part fail the check.
		private static final ZonedDateTime SAMPLE = ZonedDateTime.of(2024, 3, 31, 9, 30, 0, 0, ZoneOffset.UTC);

		public DateParse {
			if (format == null || format.isBlank()) {
				throw RequestRejectedException.invalid("transforms",
						"A dateParse transform needs a format, e.g. \"format\":\"dd/MM/yyyy\"");
			}
			DateTimeFormatter formatter;
			try {
				formatter = formatter(format);
			}
			catch (IllegalArgumentException ex) {
				throw RequestRejectedException.invalid("transforms", "The dateParse format '" + format
						+ "' is not a valid date pattern: " + ex.getMessage());
			}
			// A pattern such as yyyy-MM or HH:mm compiles, but can never give a whole date.
			try {
				if (!SAMPLE.toLocalDate().equals(formatter.parse(formatter.format(SAMPLE), LocalDate::from))) {
					throw new DateTimeException("reads back a different date");
				}
			}
			catch (DateTimeException ex) {
				throw RequestRejectedException.invalid("transforms", "The dateParse format '" + format
						+ "' does not describe a whole date; it needs a day, a month and a year, e.g. dd.MM.yyyy");
			}
			COMPILED.put(format, formatter);
		}

		@Override
		public String apply(String value, SourceRecord record) {
			if (value == null || value.isBlank()) {
				return null;
			}
			String text = value.strip();
			if (ISO_DAY.equals(this.format)) {
				LocalDate day = isoDay(text);
				if (day != null) {
					return day.toString();
				}
			}
			DateTimeFormatter formatter = COMPILED.computeIfAbsent(this.format, DateParse::formatter);
			for (DateTimeFormatter candidate : List.of(formatter, DateTimeFormatter.ISO_DATE,
					DateTimeFormatter.ISO_DATE_TIME)) {
				try {
					return candidate.parse(text, LocalDate::from).toString();
				}
				catch (DateTimeParseException ex) {
					// try the next
				}
			}
			throw new IllegalArgumentException(
					"'" + abbreviate(value) + "' is not a date in the format " + this.format);
		}

		/** The format sources mostly give (Entra ID's employeeHireDate), read without a formatter when it can be. */
		static final String ISO_DAY = "yyyy-MM-dd";

		/**
		 * The day {@code text} names when it is four, two and two ASCII digits joined by hyphens and a real day, as
		 * {@link #ISO_DAY}'s strict formatter reads it; null for anything else, which the formatters then read (or
		 * refuse) as before. A formatter's parse, and its cache's lock, were a fortieth of an unchanged Entra ID
		 * re-sync's planning (JFR): every record has a hire date.
		 */
		static LocalDate isoDay(String text) {
			if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
				return null;
			}
			int year = digits(text, 0, 4);
			int month = digits(text, 5, 7);
			int day = digits(text, 8, 10);
			// Year 0 is no year of an era: the formatter refuses it, and ISO_DATE, tried next, takes it.
			if (year <= 0 || month < 0 || day < 0) {
				return null;
			}
			try {
				return LocalDate.of(year, month, day);
			}
			catch (DateTimeException ex) {
				return null;
			}
		}

		/** The number the ASCII digits from {@code from} to {@code to} write, or -1 when one is not a digit. */
		private static int digits(String text, int from, int to) {
			int number = 0;
			for (int i = from; i < to; i++) {
				char c = text.charAt(i);
				if (c < '0' || c > '9') {
					return -1;
				}
				number = number * 10 + (c - '0');
			}
			return number;
		}

		/**
		 * The pattern, read strictly so that 31.02.2024 fails rather than becoming 29 February. Strict reading
		 * needs an era with {@code yyyy}, which nobody writes, so AD is assumed. Month and day names are English
		 * in any case: that is what sources write, and {@link Locale#ROOT} only knows abbreviations ({@code MMMM}
		 * would read "Mar", never "March"); like ROOT it does not depend on the server.
		 */
		private static DateTimeFormatter formatter(String format) {
			return new DateTimeFormatterBuilder().parseCaseInsensitive()
				.appendPattern(format)
				.parseDefaulting(ChronoField.ERA, 1)
				.toFormatter(Locale.ENGLISH)
				.withResolverStyle(ResolverStyle.STRICT);
		}

	}

	/**
	 * Translates values, e.g. {@code ENG} to {@code Engineering}: an exact match first, then one ignoring case
	 * (the first such entry in the map's order). An unmatched value becomes {@code otherwise}, or stays as it is
	 * when that is null. No value stays none; a following default handles it.
	 */
	record ValueMap(Map<String, String> values, String otherwise) implements Transform {

		public ValueMap {
			if (values == null) {
				throw RequestRejectedException.invalid("transforms",
						"A valueMap transform needs values, e.g. \"values\":{\"ENG\":\"Engineering\"}");
			}
			if (values.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
				throw RequestRejectedException.invalid("transforms",
						"A valueMap transform's values must all be text; use a default transform for missing values");
			}
			// Kept in the given order so that which case-insensitive match wins is predictable.
			values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
		}

		@Override
		public String apply(String value, SourceRecord record) {
			if (value == null) {
				return null;
			}
			String exact = this.values.get(value);
			if (exact != null) {
				return exact;
			}
			for (Map.Entry<String, String> entry : this.values.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(value)) {
					return entry.getValue();
				}
			}
			return (this.otherwise != null) ? this.otherwise : value;
		}

	}

	/** Keeps error messages readable when a source sends a very long value. */
	private static String abbreviate(String value) {
		return (value.length() <= 100) ? value : value.substring(0, 100) + "...";
	}

	/**
	 * Compiled forms of what transforms are made of, by their text, as a record cannot keep them in a field.
	 * Bounded, as companies can save any number of patterns; one evicted is compiled again when next needed.
	 */
	private static <T> Map<String, T> compiledCache(int capacity) {
		return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
				return size() > capacity;
			}

		});
	}

}

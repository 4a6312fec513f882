package io.rollcall.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rollcall.directory.PersonField;

/**
 * A file's field table out of the box, made from its header. A company's own mappings for the source replace it;
 * every other source brings its table itself (a {@link FieldTable}).
 */
public final class DefaultMappings {

	private DefaultMappings() {
	}

	/**
	 * For files, whose columns are named by people: a column maps to the field of the same name, compared without
	 * case, spaces, dashes or underscores ("First name" is firstName); "team" and "primary team" name the primary
	 * team. Columns that match nothing are ignored.
	 */
	public static List<FieldMapping> forColumns(List<String> header) {
		List<FieldMapping> mappings = new ArrayList<>();
		for (String column : header) {
			String key = normalise(column);
			if (key.equals("team") || key.equals("primaryteam")) {
				mappings.add(map(column, "primaryTeam"));
				continue;
			}
			for (PersonField field : PersonField.values()) {
				if (field.kind() == PersonField.Kind.TEAM || field.kind() == PersonField.Kind.PERSON) {
					continue;
				}
				if (normalise(field.jsonName()).equals(key)) {
					mappings.add(map(column, field.jsonName()));
				}
			}
		}
		return mappings;
	}

	static String normalise(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	private static FieldMapping map(String source, String target) {
		return FieldMapping.trimmed(source, target);
	}

}

package io.rollcall.mapping;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One person as a source describes them, before any mapping.
 *
 * @param externalId the source's own id for the person (Entra object id, Okta id, a CSV key column)
 * @param attributes the source's attributes by its own names, flattened ({@code name.givenName}); values as text
 * @param enabled false when the source says the account is disabled (it is then deactivated here)
 * @param managerRef how the source names the person's manager: their external id, or for CSV their e-mail; may be null
 * @param photoUrl where the source keeps the person's photo; may be null
 * @param groups names of the groups the source puts the person in (not mapped to teams by default)
 */
public record SourceRecord(String externalId, Map<String, String> attributes, boolean enabled, String managerRef,
		String photoUrl, List<String> groups) {

	public SourceRecord {
		Objects.requireNonNull(externalId, "externalId cannot be null");
		attributes = Map.copyOf(withoutNulls(attributes));
		groups = groups == null ? List.of() : List.copyOf(groups);
	}

	/** The attributes as given when none is null (the usual case: a copy less for each of a listing's records). */
	private static Map<String, String> withoutNulls(Map<String, String> attributes) {
		for (Map.Entry<String, String> entry : attributes.entrySet()) {
			if (entry.getKey() == null || entry.getValue() == null) {
				return attributes.entrySet()
					.stream()
					.filter(e -> e.getKey() != null && e.getValue() != null)
					.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
			}
		}
		return attributes;
	}

	/** The attribute, or null; names compare without regard to case, as sources are not consistent about it. */
	public String attribute(String name) {
		String value = this.attributes.get(name);
		if (value != null) {
			return value;
		}
		for (Map.Entry<String, String> entry : this.attributes.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue();
			}
		}
		return null;
	}

}

package io.rollcall.directory;

import java.util.Collection;

/**
 * A look-up by one value or by several: "= :name" with the value for one, "= any(:name)" with an array for several.
 * A push or a notification looks up one person or team: its statement then has a plan PostgreSQL caches once, where
 * the array form is planned again at every call (planning took four times the execution in a SCIM write), and
 * a cached plan of the array form may scan a whole company's index.
 */
final class OneOrMany {

	private OneOrMany() {
	}

	/** The comparison to append to a column, for {@code values} bound as {@code name}. */
	static String equalTo(String name, Collection<?> values) {
		return values.size() == 1 ? "= :" + name : "= any(:" + name + ")";
	}

	/** What to bind as {@code name}: the one value, or an array of them. */
	static Object bound(Collection<?> values, Object[] empty) {
		return values.size() == 1 ? values.iterator().next() : values.toArray(empty);
	}

}

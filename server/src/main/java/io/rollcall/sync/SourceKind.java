package io.rollcall.sync;

import java.util.List;

import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.FieldTable;

import org.springframework.util.Assert;

/**
 * A source as it describes itself, once, in its own package: the kind runs name it by, how admins know it, its line
 * on Integrations, and its field table out of the box. Each source's module registers its own as a bean; the API's
 * kinds, the console's names and the mapping's tables are these ({@link SourceKinds}). Integrations lists them in
 * their beans' {@link org.springframework.core.annotation.Order}.
 *
 * @param kind the source as runs, settings and URLs name it, e.g. {@code jsondirectory}
 * @param name its name as admins know it, e.g. "JSON directory"
 * @param description its one line on Integrations
 * @param page its console page, or null while it has none there
 * @param mappings its field table out of the box; empty for a file, whose table its header makes
 */
public record SourceKind(String kind, String name, String description, String page,
		List<FieldMapping> mappings) implements FieldTable {

	public SourceKind {
		Assert.hasText(kind, "kind cannot be empty");
		Assert.hasText(name, "name cannot be empty");
		Assert.hasText(description, "description cannot be empty");
		mappings = List.copyOf(mappings);
	}

}

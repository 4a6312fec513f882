package io.rollcall.mapping;

import java.util.List;

/**
 * A source's field table out of the box, used until a company saves its own mappings for the source. Each source's
 * module contributes its table as a bean, so that the mapping knows no source by name.
 */
public interface FieldTable {

	/** The source, as runs and mappings name it. */
	String kind();

	/** Its mappings; empty for a source whose mappings come from what it reads (a file's columns). */
	List<FieldMapping> mappings();

}

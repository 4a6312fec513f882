/**
 * What sources say and how it becomes a person: {@link io.rollcall.mapping.SourceRecord}s, the default field
 * table of each source, the mappings a company adds or changes, and the transforms they may use.
 */
package io.rollcall.mapping;

package io.rollcall.audit;

/** One field's value before and after a change; either side may be null. */
public record FieldChange(Object from, Object to) {
}

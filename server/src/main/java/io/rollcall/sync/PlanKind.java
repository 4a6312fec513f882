package io.rollcall.sync;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What one item of a plan does, and the phase it is applied in: teams exist before people join them, people before
 * they get managers, and invitations go out once everyone exists. Errors are phase 0: reported, never applied.
 */
public enum PlanKind {

	/** A record that could not be planned (see {@link RecordProblem}); reported, never applied. */
	ERROR("error", 0),

	TEAM("team", 1),

	CREATE("create", 2),

	UPDATE("update", 2),

	/** An existing person matched by e-mail (or adopted from a sign-in) becomes this source's person. */
	LINK("link", 2),

	REACTIVATE("reactivate", 2),

	DEACTIVATE("deactivate", 3),

	MANAGER("manager", 4),

	INVITE("invite", 5);

	/** The count of records that needed nothing, beside the kinds' counts in a run's {@code counts}. */
	public static final String UNCHANGED = "unchanged";

	/** The count of items that could not be applied, in a run's {@code counts} once one of them failed. */
	public static final String FAILED = "failed";

	private static final Map<String, PlanKind> BY_VALUE = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(PlanKind::value, Function.identity()));

	private final String value;

	private final int phase;

	PlanKind(String value, int phase) {
		this.value = value;
		this.phase = phase;
	}

	/** As stored in {@code sync_plan_item.kind}, counted in a run's {@code counts} and shown in the API. */
	@JsonValue
	public String value() {
		return this.value;
	}

	/** As stored in {@code sync_plan_item.phase}: items are applied phase by phase, in ascending order. */
	public int phase() {
		return this.phase;
	}

	/** Whether items of this kind change anything when the plan is applied (errors do not). */
	public boolean applied() {
		return this.phase > 0;
	}

	/** The kind stored or asked for as {@code value}, if there is one. */
	public static java.util.Optional<PlanKind> find(String value) {
		return java.util.Optional.ofNullable(BY_VALUE.get(value));
	}

	/** The kind stored as {@code value}. */
	public static PlanKind of(String value) {
		PlanKind kind = BY_VALUE.get(value);
		if (kind == null) {
			throw new IllegalArgumentException("No plan kind '" + value + "'; one of " + BY_VALUE.keySet());
		}
		return kind;
	}

}

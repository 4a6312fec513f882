package io.rollcall.scim;

/**
 * A request the SCIM client can fix (or must be told about), answered as an RFC 7644 error: its HTTP status,
 * a {@code scimType} where the RFC defines one, and a detail naming what is wrong.
 */
final class ScimException extends RuntimeException {

	private final int status;

	private final String scimType;

	ScimException(int status, String scimType, String detail) {
		super(detail);
		this.status = status;
		this.scimType = scimType;
	}

	static ScimException invalidFilter(String detail) {
		return new ScimException(400, "invalidFilter", detail);
	}

	static ScimException invalidValue(String detail) {
		return new ScimException(400, "invalidValue", detail);
	}

	static ScimException invalidSyntax(String detail) {
		return new ScimException(400, "invalidSyntax", detail);
	}

	static ScimException invalidPath(String detail) {
		return new ScimException(400, "invalidPath", detail);
	}

	static ScimException noTarget(String detail) {
		return new ScimException(400, "noTarget", detail);
	}

	static ScimException mutability(String detail) {
		return new ScimException(400, "mutability", detail);
	}

	static ScimException uniqueness(String detail) {
		return new ScimException(409, "uniqueness", detail);
	}

	static ScimException notFound(String detail) {
		return new ScimException(404, null, detail);
	}

	int status() {
		return this.status;
	}

	String scimType() {
		return this.scimType;
	}

}

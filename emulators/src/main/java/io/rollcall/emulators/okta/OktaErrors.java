package io.rollcall.emulators.okta;

import io.rollcall.emulators.http.Faults.ErrorAnswer;

/**
 * Okta's documented management-API errors (developer.okta.com/docs/reference/error-codes) and the paths they are
 * answered on, for {@code okta.faults().answer(path, error)}; the body is Okta's: {@code errorCode},
 * {@code errorSummary}, {@code errorLink}, {@code errorId}, {@code errorCauses}.
 */
public final class OktaErrors {

    /** {@code GET /api/v1/apps/{appId}/users/{userId}}: one user's assignment to an app. */
    public static final String APP_USER = "/api/v1/apps/[^/]+/users/[^/]+";

    /** {@code GET /api/v1/apps/{appId}/users}: the app's assigned users. */
    public static final String APP_USERS = "/api/v1/apps/[^/]+/users";

    /** {@code GET /api/v1/users[/{id}]}: users. */
    public static final String USERS = "/api/v1/users(/[^/]+)?";

    /** 403: the token (or its admin) may not do this; says nothing about the resource. */
    public static final ErrorAnswer E0000006 = new ErrorAnswer(403, "E0000006",
            "You do not have permission to perform the requested action");

    /** 500: Okta failed. */
    public static final ErrorAnswer E0000009 = new ErrorAnswer(500, "E0000009", "Internal Server Error");

    /** 401: the API token is wrong, expired or revoked. */
    public static final ErrorAnswer E0000011 = new ErrorAnswer(401, "E0000011", "Invalid token provided");

    /** 404: the endpoint is not supported (wrong path or method, an API the org does not have). */
    public static final ErrorAnswer E0000022 = new ErrorAnswer(404, "E0000022",
            "The endpoint does not support the provided HTTP method");

    /** 429: the rate limit is spent. */
    public static final ErrorAnswer E0000047 = new ErrorAnswer(429, "E0000047",
            "API call exceeded rate limit due to too many requests.");

    private OktaErrors() {
    }

    /** 404: the named resource does not exist, e.g. {@code (id, "AppUser")} for a user not assigned to the app. */
    public static ErrorAnswer E0000007(String id, String type) {
        return new ErrorAnswer(404, "E0000007", "Not found: Resource not found: " + id + " (" + type + ")");
    }

}

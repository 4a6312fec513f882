package io.rollcall.emulators.entra;

import io.rollcall.emulators.http.Faults.ErrorAnswer;

/**
 * Microsoft Graph's documented errors (learn.microsoft.com/graph/errors) and the paths they are answered on, for
 * {@code entra.faults().answer(path, error)}; the body is Graph's:
 * {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}.
 */
public final class GraphErrors {

    /** {@code GET /users/{id}} (with or without a query): one user. */
    public static final String USER = "/v1.0/users/[^/]+";

    /** The security group's members and transitive members, with or without a type cast. */
    public static final String GROUP_MEMBERS = "/v1.0/groups/[^/]+/(members|transitiveMembers)(/.*)?";

    /** 400: Graph could not take the request as it is. */
    public static final ErrorAnswer BAD_REQUEST = new ErrorAnswer(400, "Request_BadRequest",
            "Invalid request.");

    /** 403: the app lacks a permission or consent; says nothing about the object. */
    public static final ErrorAnswer AUTHORIZATION_REQUEST_DENIED = new ErrorAnswer(403, "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.");

    /** 404 that is not "the object does not exist": Graph answers it at times while the directory replicates. */
    public static final ErrorAnswer UNKNOWN_ERROR_NOT_FOUND = new ErrorAnswer(404, "UnknownError", "");

    /** 503: Graph is unavailable (a client retries it, then gives up). */
    public static final ErrorAnswer SERVICE_NOT_AVAILABLE = new ErrorAnswer(503, "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry.");

    private GraphErrors() {
    }

    /** 404: the named object does not exist, as Graph says it for a deleted user or an unknown group. */
    public static ErrorAnswer resourceNotFound(String id) {
        return new ErrorAnswer(404, "Request_ResourceNotFound",
                "Resource '" + id
                        + "' does not exist or one of its queried reference-property objects are not present.");
    }

}

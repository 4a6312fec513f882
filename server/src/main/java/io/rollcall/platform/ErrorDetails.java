package io.rollcall.platform;

import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors that no controller answered (an unknown path, a failure in a filter) still get a {@code detail} a
 * person can act on, like every other API error; never an exception's text.
 */
@Component
class ErrorDetails extends DefaultErrorAttributes {

	@Override
	public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(request, options);
		Object code = attributes.get("status");
		int status = code instanceof Integer i ? i : 500;
		Object path = request.getAttribute("jakarta.servlet.error.request_uri", RequestAttributes.SCOPE_REQUEST);
		String detail = switch (status) {
			case 404 -> "There is nothing at " + path;
			case 405 -> "That method is not allowed at " + path;
			case 400 -> "The request is not valid";
			default -> status >= 500
					? "Something went wrong on our side; nothing was changed. Try again, and tell the operator if it persists."
					: HttpStatus.valueOf(status).getReasonPhrase();
		};
		attributes.put("title", attributes.get("error"));
		attributes.put("detail", detail);
		return attributes;
	}

}

package io.rollcall.console;

import io.rollcall.company.CurrentCompany;
import io.rollcall.platform.RequestRejectedException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What a console page shows when it cannot be shown, e.g. a person that does not exist: the reason, on a page
 * with the console around it so the admin can carry on. Actions catch their own errors and flash them instead.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class, assignableTypes = IntegrationPage.class)
final class ConsoleErrors {

	@ExceptionHandler(RequestRejectedException.class)
	ModelAndView rejected(RequestRejectedException ex, HttpServletRequest request) {
		return page(request, ex.status(), ex.getMessage());
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ModelAndView mismatch(MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
		if (ex.getParameter().hasParameterAnnotation(PathVariable.class)) {
			return page(request, HttpStatus.NOT_FOUND,
					"There is nothing at this address: '" + ex.getValue() + "' is not a valid " + ex.getName() + ".");
		}
		return page(request, HttpStatus.BAD_REQUEST, "'" + ex.getValue() + "' is not a valid " + ex.getName() + ".");
	}

	private static ModelAndView page(HttpServletRequest request, HttpStatus status, String message) {
		ModelAndView page = new ModelAndView("console/error", status);
		CurrentCompany.of(request).ifPresent(company -> page.addObject("company", company));
		page.addObject("status", status.value());
		page.addObject("message", message);
		return page;
	}

}

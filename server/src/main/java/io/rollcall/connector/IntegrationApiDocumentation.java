package io.rollcall.connector;

import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/** Names and describes every provider's {@link IntegrationApi} operations after the provider they are of. */
@Component
final class IntegrationApiDocumentation implements OperationCustomizer {

	private final ApplicationContext context;

	IntegrationApiDocumentation(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		if (handler.getMethod().getDeclaringClass() == IntegrationApi.class) {
			IntegrationApi<?, ?, ?> api = (IntegrationApi<?, ?, ?>) this.context.getBean(handler.getBeanType());
			api.describe(handler.getMethod().getName(), operation);
		}
		return operation;
	}

}

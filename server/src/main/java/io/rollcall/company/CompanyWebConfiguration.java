package io.rollcall.company;

import java.util.List;

import io.rollcall.platform.RequestRejectedException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class CompanyWebConfiguration implements WebMvcConfigurer {

	/** Runs before Spring Security's filters (order -100), which need to know the company. */
	@Bean
	FilterRegistrationBean<CompanyResolutionFilter> companyResolutionFilter(CompanyHosts hosts, Companies companies) {
		var registration = new FilterRegistrationBean<>(new CompanyResolutionFilter(hosts, companies));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new CompanyArgumentResolver());
	}

	/** Lets a controller declare a {@link Company} parameter; requests on a host without a company get 404. */
	static final class CompanyArgumentResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == Company.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
				NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
			HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
			return CurrentCompany.of(request)
				.orElseThrow(() -> RequestRejectedException.notFound(
						"This address names no company; use {company}.{base-domain}. The company"));
		}

	}

}

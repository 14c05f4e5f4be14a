package org.dure.app;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers {@link LoopbackOnlyFilter} before every other filter (Vaadin's, Spring's and the
 * WebSocket upgrade filter the container adds after the application's), on every path and every
 * kind of dispatch, so no page, static resource, UIDL or heartbeat request, push connection or
 * error page is served to another host name.
 */
@Configuration(proxyBeanMethods = false)
public class LoopbackOnlyConfiguration {

  @Bean
  public FilterRegistrationBean<LoopbackOnlyFilter> loopbackOnlyFilter() {
    FilterRegistrationBean<LoopbackOnlyFilter> bean =
        new FilterRegistrationBean<>(new LoopbackOnlyFilter());
    bean.setName("dureLoopbackOnly");
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
    bean.addUrlPatterns("/*");
    bean.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    bean.setAsyncSupported(true);
    return bean;
  }
}
